import { ExportButton } from '../../components/ExportButton';
import { useApp } from '../../context/app-context';

/** The stream's evidence to take away: its packets for Wireshark (network captures), each side's bytes raw. */
export function StreamExports({ caseId, streamId, network }: { caseId: string; streamId: number; network: boolean }) {
  const { api } = useApp();
  return (
    <span className="stream-exports" role="group" aria-label="Export">
      {network && (
        <ExportButton
          label="Export pcapng"
          title="This connection's packets, as captured, in a file Wireshark opens"
          make={() => api.call('export.packets', { caseId, streamId, format: 'pcapng' })}
        />
      )}
      <ExportButton
        label={network ? 'Save client bytes' : 'Save written bytes'}
        title={network ? 'What the client sent, raw, in order' : 'What this endpoint wrote, raw, in order'}
        make={() => api.call('export.streamBytes', { caseId, streamId, dir: 'out' })}
      />
      <ExportButton
        label={network ? 'Save server bytes' : 'Save read bytes'}
        title={network ? 'What the server sent, raw, in order' : 'What this endpoint read, raw, in order'}
        make={() => api.call('export.streamBytes', { caseId, streamId, dir: 'in' })}
      />
    </span>
  );
}
