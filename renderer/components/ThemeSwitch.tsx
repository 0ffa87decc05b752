import { THEME_CHOICES, useTheme, type ThemeChoice } from '../context/theme';

/** The app bar's theme switch: follow the system, or always light, or always dark. */
export function ThemeSwitch() {
  const [choice, choose] = useTheme();
  return (
    <label className="theme-switch">
      <span className="theme-switch-label">Theme</span>
      <select aria-label="Theme" value={choice} onChange={(e) => choose(e.target.value as ThemeChoice)}>
        {THEME_CHOICES.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
