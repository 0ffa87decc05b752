// What falcosecurity/libs added to the event table after the libscap that Debian's sysdig 0.29.3
// links (2022-03, 336 events): new events 336.. and parameters appended to existing events, written
// from libs' driver/event_table.c (2023), and the ppm_sc syscall codes 329..400 from
// driver/ppm_events_public.h. Flag tables that the base library does not have are left out: such
// flags are shown as numbers.

const p = (name, type, fmt, info) => {
  const param = { name, type, fmt: fmt ?? 'DEC' };
  if (typeof info === 'number') param.dirfd = info;
  else if (info) param.flags = info;
  return param;
};
const ev = (name, category, flags, params = []) => ({ name, category, flags, params });
const NA = ev('NA', 'UNKNOWN', ['UNUSED']);

const CLONE_PARAMS = [
  p('res', 'PID'), p('exe', 'CHARBUF', 'NA'), p('args', 'BYTEBUF', 'NA'), p('tid', 'PID'), p('pid', 'PID'), p('ptid', 'PID'), p('cwd', 'CHARBUF', 'NA'),
  p('fdlimit', 'INT64'), p('pgft_maj', 'UINT64'), p('pgft_min', 'UINT64'), p('vm_size', 'UINT32'), p('vm_rss', 'UINT32'), p('vm_swap', 'UINT32'),
  p('comm', 'CHARBUF', 'NA'), p('cgroups', 'BYTEBUF', 'NA'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'), p('uid', 'UINT32'), p('gid', 'UINT32'),
  p('vtid', 'PID'), p('vpid', 'PID'),
];
const EXECVE_LATER = [
  p('cap_inheritable', 'UINT64', 'HEX'), p('cap_permitted', 'UINT64', 'HEX'), p('cap_effective', 'UINT64', 'HEX'), p('exe_ino', 'UINT64'),
  p('exe_ino_ctime', 'ABSTIME'), p('exe_ino_mtime', 'ABSTIME'), p('uid', 'UID'), p('trusted_exepath', 'FSPATH', 'NA'),
];
const USER = [p('uid', 'UINT32'), p('gid', 'UINT32'), p('name', 'CHARBUF', 'NA'), p('home', 'CHARBUF', 'NA'), p('shell', 'CHARBUF', 'NA'), p('container_id', 'CHARBUF', 'NA')];
const GROUP = [p('gid', 'UINT32'), p('name', 'CHARBUF', 'NA'), p('container_id', 'CHARBUF', 'NA')];

export const LATER_PARAMS = {
  3: [p('ino', 'UINT64')], // open exit
  23: [p('fd', 'FD')], // connect exit
  53: [p('msgcontrol', 'BYTEBUF', 'NA')], // recvmsg exit
  59: [p('ino', 'UINT64')], // creat exit
  143: [p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources')], // setrlimit exit
  145: [p('pid', 'INT64'), p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources')], // prlimit exit
  151: [p('fd', 'FD'), p('cmd', 'ENUMFLAGS8', 'DEC', 'fcntl_commands')], // fcntl exit
  186: [p('reaper_tid', 'PID')], // procexit
  223: [p('pidns_init_start_ts', 'UINT64')], // clone exit
  225: [p('pidns_init_start_ts', 'UINT64')], // fork exit
  227: [p('pidns_init_start_ts', 'UINT64')], // vfork exit
  293: EXECVE_LATER, // execve exit
  307: [p('ino', 'UINT64')], // openat exit
  331: EXECVE_LATER, // execveat exit
  335: [p('pidns_init_start_ts', 'UINT64')], // clone3 exit
};

export const LATER_EVENTS = [
  /* 336 */ ev('open_by_handle_at', 'FILE', ['CREATES_FD', 'MODIFIES_STATE']),
  ev('open_by_handle_at', 'FILE', ['CREATES_FD', 'MODIFIES_STATE'], [p('fd', 'FD'), p('mountfd', 'FD'), p('flags', 'FLAGS32', 'HEX', 'file_flags'), p('path', 'FSPATH', 'NA')]),
  /* 338 */ ev('io_uring_setup', 'IO_OTHER', ['CREATES_FD', 'MODIFIES_STATE']),
  ev('io_uring_setup', 'IO_OTHER', ['CREATES_FD', 'MODIFIES_STATE'], [p('res', 'ERRNO'), p('entries', 'UINT32'), p('sq_entries', 'UINT32'), p('cq_entries', 'UINT32'), p('flags', 'FLAGS32', 'HEX'), p('sq_thread_cpu', 'UINT32'), p('sq_thread_idle', 'UINT32'), p('features', 'FLAGS32', 'HEX')]),
  /* 340 */ ev('io_uring_enter', 'IO_OTHER', []),
  ev('io_uring_enter', 'IO_OTHER', ['USES_FD'], [p('res', 'ERRNO'), p('fd', 'FD'), p('to_submit', 'UINT32'), p('min_complete', 'UINT32'), p('flags', 'FLAGS32', 'HEX'), p('sig', 'SIGSET')]),
  /* 342 */ ev('io_uring_register', 'IO_OTHER', []),
  ev('io_uring_register', 'IO_OTHER', ['USES_FD'], [p('res', 'ERRNO'), p('fd', 'FD'), p('opcode', 'ENUMFLAGS16'), p('arg', 'UINT64', 'HEX'), p('nr_args', 'UINT32')]),
  /* 344 */ ev('mlock', 'MEMORY', []),
  ev('mlock', 'MEMORY', [], [p('res', 'ERRNO'), p('addr', 'UINT64', 'HEX'), p('len', 'UINT64')]),
  /* 346 */ ev('munlock', 'MEMORY', []),
  ev('munlock', 'MEMORY', [], [p('res', 'ERRNO'), p('addr', 'UINT64', 'HEX'), p('len', 'UINT64')]),
  /* 348 */ ev('mlockall', 'MEMORY', []),
  ev('mlockall', 'MEMORY', [], [p('res', 'ERRNO'), p('flags', 'FLAGS32', 'HEX')]),
  /* 350 */ ev('munlockall', 'MEMORY', []),
  ev('munlockall', 'MEMORY', [], [p('res', 'ERRNO')]),
  /* 352 */ ev('capset', 'PROCESS', ['MODIFIES_STATE']),
  ev('capset', 'PROCESS', ['MODIFIES_STATE'], [p('res', 'ERRNO'), p('cap_inheritable', 'UINT64', 'HEX'), p('cap_permitted', 'UINT64', 'HEX'), p('cap_effective', 'UINT64', 'HEX')]),
  /* 354 */ ev('useradded', 'PROCESS', ['MODIFIES_STATE'], USER),
  NA,
  /* 356 */ ev('userdeleted', 'PROCESS', ['MODIFIES_STATE'], USER),
  NA,
  /* 358 */ ev('groupadded', 'PROCESS', ['MODIFIES_STATE'], GROUP),
  NA,
  /* 360 */ ev('groupdeleted', 'PROCESS', ['MODIFIES_STATE'], GROUP),
  NA,
  /* 362 */ ev('dup2', 'IO_OTHER', ['CREATES_FD', 'USES_FD', 'MODIFIES_STATE'], [p('fd', 'FD')]),
  ev('dup2', 'IO_OTHER', ['CREATES_FD', 'USES_FD', 'MODIFIES_STATE'], [p('res', 'FD'), p('oldfd', 'FD'), p('newfd', 'FD')]),
  /* 364 */ ev('dup3', 'IO_OTHER', ['CREATES_FD', 'USES_FD', 'MODIFIES_STATE'], [p('fd', 'FD')]),
  ev('dup3', 'IO_OTHER', ['CREATES_FD', 'USES_FD', 'MODIFIES_STATE'], [p('res', 'FD'), p('oldfd', 'FD'), p('newfd', 'FD'), p('flags', 'FLAGS32', 'HEX', 'file_flags')]),
  /* 366 */ ev('dup', 'IO_OTHER', ['CREATES_FD', 'USES_FD', 'MODIFIES_STATE'], [p('fd', 'FD')]),
  ev('dup', 'IO_OTHER', ['CREATES_FD', 'USES_FD', 'MODIFIES_STATE'], [p('res', 'FD'), p('oldfd', 'FD')]),
  /* 368 */ ev('bpf', 'OTHER', ['CREATES_FD'], [p('cmd', 'INT64')]),
  ev('bpf', 'OTHER', ['CREATES_FD'], [p('fd', 'FD'), p('cmd', 'INT32')]),
  /* 370 */ ev('mlock2', 'MEMORY', []),
  ev('mlock2', 'MEMORY', [], [p('res', 'ERRNO'), p('addr', 'UINT64', 'HEX'), p('len', 'UINT64'), p('flags', 'UINT32', 'HEX')]),
  /* 372 */ ev('fsconfig', 'SYSTEM', []),
  ev('fsconfig', 'SYSTEM', ['USES_FD'], [p('res', 'ERRNO'), p('fd', 'FD'), p('cmd', 'ENUMFLAGS32'), p('key', 'CHARBUF', 'NA'), p('value_bytebuf', 'BYTEBUF', 'NA'), p('value_charbuf', 'CHARBUF', 'NA'), p('aux', 'INT32')]),
  /* 374 */ ev('epoll_create', 'WAIT', ['CREATES_FD', 'MODIFIES_STATE'], [p('size', 'INT32')]),
  ev('epoll_create', 'WAIT', ['CREATES_FD', 'MODIFIES_STATE'], [p('res', 'ERRNO')]),
  /* 376 */ ev('epoll_create1', 'WAIT', ['CREATES_FD', 'MODIFIES_STATE'], [p('flags', 'FLAGS32', 'HEX')]),
  ev('epoll_create1', 'WAIT', ['CREATES_FD', 'MODIFIES_STATE'], [p('res', 'ERRNO')]),
  /* 378 */ ev('chown', 'FILE', []),
  ev('chown', 'FILE', [], [p('res', 'ERRNO'), p('path', 'FSPATH', 'NA'), p('uid', 'UINT32'), p('gid', 'UINT32')]),
  /* 380 */ ev('lchown', 'FILE', []),
  ev('lchown', 'FILE', [], [p('res', 'ERRNO'), p('path', 'FSPATH', 'NA'), p('uid', 'UINT32'), p('gid', 'UINT32')]),
  /* 382 */ ev('fchown', 'FILE', []),
  ev('fchown', 'FILE', ['USES_FD'], [p('res', 'ERRNO'), p('fd', 'FD'), p('uid', 'UINT32'), p('gid', 'UINT32')]),
  /* 384 */ ev('fchownat', 'FILE', []),
  ev('fchownat', 'FILE', [], [p('res', 'ERRNO'), p('dirfd', 'FD'), p('pathname', 'FSRELPATH', 'NA', 1), p('uid', 'UINT32'), p('gid', 'UINT32'), p('flags', 'FLAGS32', 'HEX')]),
  /* 386 */ ev('umount', 'FILE', ['MODIFIES_STATE']),
  ev('umount', 'FILE', ['MODIFIES_STATE'], [p('res', 'ERRNO'), p('name', 'FSPATH', 'NA')]),
  /* 388 */ ev('accept4', 'NET', ['CREATES_FD', 'MODIFIES_STATE'], [p('flags', 'INT32', 'HEX')]),
  ev('accept4', 'NET', ['CREATES_FD', 'MODIFIES_STATE'], [p('fd', 'FD'), p('tuple', 'SOCKTUPLE', 'NA'), p('queuepct', 'UINT8'), p('queuelen', 'UINT32'), p('queuemax', 'UINT32')]),
  /* 390 */ ev('umount2', 'FILE', ['MODIFIES_STATE'], [p('flags', 'FLAGS32', 'HEX', 'umount_flags')]),
  ev('umount2', 'FILE', ['MODIFIES_STATE'], [p('res', 'ERRNO'), p('name', 'FSPATH', 'NA')]),
  /* 392 */ ev('pipe2', 'IPC', ['CREATES_FD', 'MODIFIES_STATE']),
  ev('pipe2', 'IPC', ['CREATES_FD', 'MODIFIES_STATE'], [p('res', 'ERRNO'), p('fd1', 'FD'), p('fd2', 'FD'), p('ino', 'UINT64'), p('flags', 'FLAGS32', 'HEX', 'file_flags')]),
  /* 394 */ ev('inotify_init1', 'IPC', ['CREATES_FD', 'MODIFIES_STATE']),
  ev('inotify_init1', 'IPC', ['CREATES_FD', 'MODIFIES_STATE'], [p('res', 'FD'), p('flags', 'FLAGS16', 'HEX', 'file_flags')]),
  /* 396 */ ev('eventfd2', 'IPC', ['CREATES_FD', 'MODIFIES_STATE'], [p('initval', 'UINT64')]),
  ev('eventfd2', 'IPC', ['CREATES_FD', 'MODIFIES_STATE'], [p('res', 'FD'), p('flags', 'FLAGS16', 'HEX', 'file_flags')]),
  /* 398 */ ev('signalfd4', 'SIGNAL', ['CREATES_FD', 'MODIFIES_STATE'], [p('fd', 'FD'), p('mask', 'UINT32', 'HEX')]),
  ev('signalfd4', 'SIGNAL', ['CREATES_FD', 'MODIFIES_STATE'], [p('res', 'FD'), p('flags', 'FLAGS16', 'HEX')]),
  /* 400 */ ev('prctl', 'PROCESS', ['MODIFIES_STATE']),
  ev('prctl', 'PROCESS', ['MODIFIES_STATE'], [p('res', 'ERRNO'), p('option', 'ENUMFLAGS32'), p('arg2_str', 'CHARBUF', 'NA'), p('arg2_int', 'INT64')]),
  /* 402 */ ev('asyncevent', 'OTHER', ['LARGE_PAYLOAD'], [p('plugin_id', 'UINT32'), p('name', 'CHARBUF', 'NA'), p('data', 'BYTEBUF', 'NA')]),
  NA,
  /* 404 */ ev('memfd_create', 'MEMORY', ['CREATES_FD', 'MODIFIES_STATE']),
  ev('memfd_create', 'MEMORY', ['CREATES_FD', 'MODIFIES_STATE'], [p('fd', 'FD'), p('name', 'CHARBUF', 'NA'), p('flags', 'FLAGS32', 'HEX')]),
  /* 406 */ ev('pidfd_getfd', 'PROCESS', ['CREATES_FD', 'MODIFIES_STATE']),
  ev('pidfd_getfd', 'PROCESS', ['CREATES_FD', 'MODIFIES_STATE'], [p('fd', 'FD'), p('pid_fd', 'FD'), p('target_fd', 'FD'), p('flags', 'FLAGS32', 'HEX')]),
  /* 408 */ ev('pidfd_open', 'PROCESS', ['CREATES_FD', 'MODIFIES_STATE']),
  ev('pidfd_open', 'PROCESS', ['CREATES_FD', 'MODIFIES_STATE'], [p('fd', 'FD'), p('pid', 'PID'), p('flags', 'FLAGS32', 'HEX')]),
  /* 410 */ ev('init_module', 'OTHER', []),
  ev('init_module', 'OTHER', [], [p('res', 'ERRNO'), p('img', 'BYTEBUF', 'NA'), p('length', 'UINT64'), p('uargs', 'CHARBUF', 'NA')]),
  /* 412 */ ev('finit_module', 'OTHER', []),
  ev('finit_module', 'OTHER', ['USES_FD', 'READS_FROM_FD'], [p('res', 'ERRNO'), p('fd', 'FD'), p('uargs', 'CHARBUF', 'NA'), p('flags', 'FLAGS32')]),
  /* 414 */ ev('mknod', 'OTHER', []),
  ev('mknod', 'OTHER', [], [p('res', 'ERRNO'), p('path', 'FSPATH', 'NA'), p('mode', 'MODE', 'OCT'), p('dev', 'UINT32')]),
  /* 416 */ ev('mknodat', 'OTHER', []),
  ev('mknodat', 'OTHER', ['USES_FD'], [p('res', 'ERRNO'), p('dirfd', 'FD'), p('path', 'FSRELPATH', 'NA', 1), p('mode', 'MODE', 'OCT'), p('dev', 'UINT32')]),
  /* 418 */ ev('newfstatat', 'FILE', []),
  ev('newfstatat', 'FILE', ['USES_FD'], [p('res', 'ERRNO'), p('dirfd', 'FD'), p('path', 'FSRELPATH', 'NA', 1), p('flags', 'FLAGS32', 'HEX')]),
];

export const LATER_FLAG_TABLES = {};

const LATER_SC = `open_by_handle_at io_uring_setup io_uring_enter io_uring_register mlock2 getegid32 fsconfig fspick fsmount fsopen
open_tree move_mount mount_setattr memfd_create memfd_secret ioperm kexec_file_load pidfd_getfd pidfd_open pidfd_send_signal
pkey_alloc pkey_mprotect pkey_free landlock_create_ruleset quotactl_fd landlock_restrict_self landlock_add_rule epoll_pwait2
migrate_pages move_pages preadv2 pwritev2 kcmp sched_setattr mbind epoll_ctl_old lookup_dcookie modify_ldt statx set_mempolicy
io_pgetevents set_mempolicy_home_node semtimedop get_kernel_syms readahead futex_waitv getpmsg name_to_handle_at
process_mrelease nfsservctl epoll_wait_old rseq create_module - sched_getattr faccessat2 _sysctl query_module get_mempolicy
sync_file_range process_madvise membarrier iopl close_range fanotify_mark recv send sched_process_exit sched_switch
page_fault_user page_fault_kernel signal_deliver`.split(/\s+/);
export const LATER_SYSCALLS = Object.fromEntries(LATER_SC.map((name, i) => [329 + i, name === '-' ? '' : name]));
