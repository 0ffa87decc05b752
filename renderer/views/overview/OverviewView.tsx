import type { ViewScope } from '../../../core/api';
import type { CaseShape } from '../../../core/domain/case/contract';
import type { MetricId, TileCategory, TileDrill, TileValue } from '../../../core/domain/overview/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Sparkline } from '../../components/Sparkline';
import { formatCount, formatExactBytes } from '../../format';
import { formatMetric } from '../../formatting/explore-format';
import { useQuery } from '../../hooks/use-query';
import { FindingsPanel } from '../findings/FindingsPanel';
import type { StreamTarget } from '../../view-kit/contract';

const CATEGORIES: TileCategory[] = ['General', 'File', 'Network', 'Security', 'Performance', 'Logs'];
const SPARK_BUCKETS = 60;

interface OverviewProps {
  caseId: string;
  shape: CaseShape;
  scope: ViewScope;
  /** Bumped while the index grows: the tiles are asked again. */
  revision: number;
  pinned: readonly MetricId[];
  onTogglePin(metric: MetricId): void;
  onDrill(drill: TileDrill): void;
  onOpenStream(target: StreamTarget): void;
  onOpenExchange(exchangeId: number): void;
}

/** Findings on top, then the tiles by category: a number and a sparkline each; a tile drills into its view. */
export function OverviewView({ caseId, shape, scope, revision, pinned, onTogglePin, onDrill, onOpenStream, onOpenExchange }: OverviewProps) {
  const { api } = useApp();
  const key = JSON.stringify([caseId, scope.filter ?? '', scope.range ?? null, revision]);
  const { data, error, loading } = useQuery(key, () => api.call('overview.tiles', { caseId, scope, buckets: SPARK_BUCKETS }));
  const heapOnly = shape.capabilities.length > 0 && shape.capabilities.every((c) => c === 'heap');

  return (
    <div className="overview">
      <FindingsPanel caseId={caseId} scope={scope} revision={revision} onOpenStream={onOpenStream} onOpenExchange={onOpenExchange} />
      {heapOnly && <p className="muted empty">This case holds heap dumps only: there is no activity over time to show. The Heap tab has the analysis.</p>}
      <ErrorLine error={error} />
      {data && !heapOnly && (
        <div className={`tile-groups${loading ? ' is-stale' : ''}`} aria-busy={loading}>
          {CATEGORIES.map((category) => {
            const tiles = data.tiles.filter((t) => t.category === category);
            return (
              <section key={category} className="tile-group" aria-label={category}>
                <h2>{category}</h2>
                <div className="tiles">
                  {tiles.map((t) => (
                    <Tile key={t.metric} tile={t} pinned={pinned.includes(t.metric)} onTogglePin={() => onTogglePin(t.metric)} onDrill={onDrill} />
                  ))}
                </div>
              </section>
            );
          })}
        </div>
      )}
      {!data && !error && <p className="status-line muted">Counting…</p>}
    </div>
  );
}

function Tile({ tile, pinned, onTogglePin, onDrill }: { tile: TileValue; pinned: boolean; onTogglePin(): void; onDrill(drill: TileDrill): void }) {
  const exact = tile.value === null ? undefined : tile.unit === 'bytes' ? formatExactBytes(tile.value) : formatCount(tile.value);
  const disabled = tile.value === null;
  return (
    <div className={`tile${disabled ? ' tile-off' : ''}`} data-metric={tile.metric}>
      <button
        type="button"
        className="tile-main"
        disabled={disabled || !tile.drill}
        onClick={() => tile.drill && onDrill(tile.drill)}
        title={[tile.description, tile.note].filter(Boolean).join('\n')}
        aria-label={`${tile.label}: ${exact ?? 'not available'}. ${tile.description}`}
      >
        <span className="tile-label">{tile.label}</span>
        <span className="tile-value" title={exact}>
          {formatMetric(tile.value, tile.unit)}
        </span>
        {tile.series ? (
          <Sparkline values={tile.series} label={`${tile.label} over the capture`} />
        ) : (
          <span className="tile-note small">{tile.note ?? 'No time line'}</span>
        )}
        {tile.series && tile.note && <span className="tile-note small">{tile.note}</span>}
      </button>
      {tile.series && (
        <button type="button" className="tile-pin" aria-pressed={pinned} onClick={onTogglePin} title={pinned ? 'Unpin from the timeline' : 'Pin to the timeline'}>
          {pinned ? 'Pinned' : 'Pin'}
        </button>
      )}
    </div>
  );
}
