import { useState } from 'react';
import type { PacketDetail } from '../../../core/domain/packets/contract';
import { ErrorLine } from '../../components/ErrorLine';
import { useApp } from '../../context/app-context';
import { useQuery } from '../../hooks/use-query';
import { PacketBytes, type ByteSpan } from './PacketBytes';

function decodeBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/**
 * The selected packet as Wireshark's details and bytes panes: its layers, each a line that opens to
 * its fields, and its captured bytes; pointing at a layer or a field marks its bytes.
 */
export function PacketDetailPane({ caseId, sourceId, frame, revision }: { caseId: string; sourceId: number; frame: number; revision: number }) {
  const { api } = useApp();
  const { data, error } = useQuery(JSON.stringify([caseId, sourceId, frame, revision]), () => api.call('packets.detail', { caseId, sourceId, frame }));
  if (error) return <ErrorLine error={error} />;
  if (!data || data.frame !== frame || data.sourceId !== sourceId) return <p className="muted small">Reading packet {frame}…</p>;
  return <Detail key={`${sourceId}:${frame}`} detail={data} />;
}

function Detail({ detail }: { detail: PacketDetail }) {
  const [picked, setPicked] = useState<ByteSpan | null>(null);
  const [pointed, setPointed] = useState<ByteSpan | null>(null);
  const bytes = decodeBase64(detail.base64);
  const span = (start: number, length: number): ByteSpan | null => (length > 0 ? { start, length } : null);
  return (
    <div className="packet-detail">
      <ul className="packet-layers" aria-label={`Layers of packet ${detail.frame}`} onMouseLeave={() => setPointed(null)}>
        {detail.layers.map((layer, i) => (
          <li key={i}>
            <details open={i > 0 && i === detail.layers.length - 1}>
              <summary onMouseEnter={() => setPointed(span(layer.start, layer.length))} onClick={() => setPicked(span(layer.start, layer.length))}>
                {layer.summary}
              </summary>
              <ul className="packet-fields">
                {layer.fields.map((f, j) => (
                  <li key={j}>
                    <button type="button" className="packet-field" onMouseEnter={() => setPointed(span(f.start, f.length))} onFocus={() => setPicked(span(f.start, f.length))} onClick={() => setPicked(span(f.start, f.length))}>
                      <span className="packet-field-name">{f.name}:</span> {f.value}
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
      <PacketBytes bytes={bytes} mark={pointed ?? picked} />
    </div>
  );
}
