// How a row's container is named: the capture's metadata name, else its id; the host is "host".
export function containerName(alias: string): string {
  return `CASE WHEN ${alias}.container_id IS NULL THEN NULL WHEN ${alias}.container_id = 'host' THEN 'host' ELSE COALESCE((SELECT cn.name FROM containers cn WHERE cn.source_id = ${alias}.source_id AND cn.id = ${alias}.container_id), ${alias}.container_id) END`;
}
