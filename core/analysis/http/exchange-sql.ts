// SQL pieces over http_exchanges AS x that the HTTP analysis, the findings and the read side share.

/** The name of the container an exchange was seen in (syscall captures), as `container_name`. */
export const CONTAINER_NAME_SQL = '(SELECT c.name FROM containers c WHERE c.id = x.container_id LIMIT 1)';
export const CONTAINER_NAME = `${CONTAINER_NAME_SQL} AS container_name`;
