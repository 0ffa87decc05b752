// Containers, libsinsp-style: a thread's container id comes from its cgroups (docker, containerd /
// cri-containerd, cri-o, podman, kubepods with the pod uid), its name, image and labels from the
// container metadata events that captures written before containers moved to a plugin carry, or
// from the container plugin's async events in captures written since (libs #2207, Falco 0.41).
// Threads outside any container are in "host".

export interface Container {
  id: string;
  name: string;
  image: string;
  type: string;
  labels: Record<string, string>;
  podUid: string | null;
  podName: string | null;
  namespace: string | null;
  privileged: boolean | null;
  /** Where the metadata came from: 'cgroup' (id only) or 'metadata' (a container event). */
  source: 'cgroup' | 'metadata' | 'host';
}

export const HOST: Container = { id: 'host', name: 'host', image: '', type: 'host', labels: {}, podUid: null, podName: null, namespace: null, privileged: null, source: 'host' };

const HEX64 = /([0-9a-f]{64})/;
const RUNTIMES: [RegExp, string][] = [
  [/\/docker[-/]([0-9a-f]{64})/, 'docker'],
  [/cri-containerd[-:]([0-9a-f]{64})/, 'cri-containerd'],
  [/\/crio[-:]([0-9a-f]{64})/, 'cri-o'],
  [/libpod-([0-9a-f]{64})/, 'podman'],
  [/containerd[-/:]([0-9a-f]{64})/, 'containerd'],
];
const POD_UID = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;

export interface CgroupMatch {
  id: string;
  type: string;
  podUid: string | null;
}

/** The container a thread's cgroups place it in, or null for the host. */
export function containerFromCgroups(cgroups: readonly string[]): CgroupMatch | null {
  for (const entry of cgroups) {
    const path = entry.slice(entry.indexOf('=') + 1);
    for (const [re, type] of RUNTIMES) {
      const m = re.exec(path);
      if (m) return { id: m[1]!.slice(0, 12), type, podUid: podUid(path) };
    }
    if (path.includes('kubepods')) {
      const m = HEX64.exec(path);
      if (m) return { id: m[1]!.slice(0, 12), type: 'containerd', podUid: podUid(path) };
    }
  }
  return null;
}

function podUid(path: string): string | null {
  const m = POD_UID.exec(path);
  return m ? m[1]!.replace(/_/g, '-') : null;
}

const CONTAINER_TYPES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static', 'podman'];

/** A container from the JSON of a container metadata event; null if it is not one. */
export function containerFromJson(json: string): Container | null {
  let root: unknown;
  try {
    // The plugin sends its JSON with the C string's NUL.
    root = JSON.parse(json.replace(/\0+$/, ''));
  } catch {
    return null;
  }
  if (!root || typeof root !== 'object') return null;
  const wrapped = (root as { container?: unknown }).container;
  // Some container plugin releases wrote the fields beside an empty "container" key instead of
  // inside it: where the object under "container" has no id, the top level is read.
  const c = (wrapped && typeof wrapped === 'object' && typeof (wrapped as { id?: unknown }).id === 'string' ? wrapped : root) as Record<string, unknown>;
  if (typeof c.id !== 'string') return null;
  const labels: Record<string, string> = {};
  if (c.labels && typeof c.labels === 'object') for (const [k, v] of Object.entries(c.labels as Record<string, unknown>)) labels[k] = String(v);
  return {
    id: c.id,
    name: typeof c.name === 'string' ? c.name : '',
    image: typeof c.image === 'string' ? c.image : '',
    type: typeof c.type === 'number' ? (CONTAINER_TYPES[c.type] ?? String(c.type)) : String(c.type ?? ''),
    labels,
    podUid: labels['io.kubernetes.pod.uid'] ?? null,
    podName: labels['io.kubernetes.pod.name'] ?? null,
    namespace: labels['io.kubernetes.pod.namespace'] ?? null,
    privileged: typeof c.privileged === 'boolean' ? c.privileged : null,
    source: 'metadata',
  };
}

/** The container plugin's async event names: a container seen, and (from its listening engines) one gone. */
export const PLUGIN_CONTAINER_ADDED = 'container';
export const PLUGIN_CONTAINER_REMOVED = 'container_removed';

export type PluginContainerEvent = { kind: 'added' | 'removed'; container: Container };

/**
 * A container plugin async event (PPME_ASYNCEVENT_E: plugin id, name, data): the container its
 * JSON describes, added or removed; null for another plugin's event or data that is not a container.
 */
export function containerFromPluginEvent(name: string, data: string): PluginContainerEvent | null {
  if (name !== PLUGIN_CONTAINER_ADDED && name !== PLUGIN_CONTAINER_REMOVED) return null;
  const container = containerFromJson(data);
  return container ? { kind: name === PLUGIN_CONTAINER_ADDED ? 'added' : 'removed', container } : null;
}
