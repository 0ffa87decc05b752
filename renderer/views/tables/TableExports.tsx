import type { ViewScope } from '../../../core/api';
import type { TableId } from '../../../core/domain/tables/contract';
import { ExportButton } from '../../components/ExportButton';
import { useApp } from '../../context/app-context';

/**
 * The evidence behind a table, in scope (the filter bar and the timeline's range), for the tools
 * that read it: the system calls as a .scap slice for sysdig, a network capture's connections as
 * pcapng for Wireshark.
 */
export function TableExports({ caseId, table, scope, network }: { caseId: string; table: TableId; scope: ViewScope; network: boolean }) {
  const { api } = useApp();
  if (table === 'events') {
    return (
      <ExportButton
        label="Export .scap"
        title="The system calls in scope as a capture sysdig reads (with the events that name their processes and fds)"
        make={() => api.call('export.events', { caseId, scope })}
      />
    );
  }
  if (table === 'connections' && network) {
    return (
      <ExportButton
        label="Export pcapng"
        title="The packets of the connections in scope, as captured, in a file Wireshark opens"
        make={() => api.call('export.packets', { caseId, format: 'pcapng', scope })}
      />
    );
  }
  return null;
}
