// capscope's default rules, written by us in Falco's rules format, for what a post-mortem asks
// first: did anything run, write, read or connect that should not have? Each rule is small and says
// why it exists; the macros and lists follow Falco's names where Falco has the same idea, so that a
// person who knows Falco's rules reads these without a guide. `capscope alerts --rules FILE`
// replaces them with the person's own (docs/alerts.md).

/** The name the default set's faults and skips are reported under. */
export const DEFAULT_RULES_FILE = 'capscope-default.yaml';

export const DEFAULT_RULES_YAML = `# capscope's default rules (Falco rules format).
- required_engine_version: 0.26.0

# ---- words the rules share ------------------------------------------------------------------
- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=<

- macro: container
  condition: (container.id != host and container.id exists)

- macro: open_write
  condition: evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.typechar=f and evt.rawres >= 0

- macro: open_read
  condition: evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar=f and evt.rawres >= 0

- list: shell_binaries
  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash, fish]

- list: package_mgmt_binaries
  items: [dpkg, apt, apt-get, aptitude, yum, dnf, rpm, apk, zypper, pip, pip3, npm, gem, conda]

- list: compiler_binaries
  items: [gcc, g++, cc, c++, clang, clang++, make, ld, as, go, rustc, cargo, javac]

- list: netcat_binaries
  items: [nc, ncat, netcat, socat]

- list: bin_directories
  items: [/bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin, /usr/local/sbin]

- list: sensitive_file_names
  items: [/etc/shadow, /etc/gshadow, /etc/sudoers, /etc/pam.conf, /etc/security/pwquality.conf, /root/.ssh/authorized_keys]

- list: sensitive_directories
  items: [/etc/sudoers.d, /etc/pam.d, /root/.ssh]

# Programs whose job is to read the password and PAM files.
- list: auth_binaries
  items: [sshd, sudo, su, login, passwd, chage, chpasswd, unix_chkpwd, useradd, usermod, userdel, groupadd, systemd, systemd-logind, cron, crond, agetty, nscd, sssd]

# Programs that only serve: an outbound connection from one is a pivot or an exfiltration.
- list: serving_only_binaries
  items: [mysqld, mariadbd, postgres, redis-server, mongod, memcached]

- list: user_switch_binaries
  items: [su, sudo, runuser]

# ---- rules ----------------------------------------------------------------------------------
- rule: Terminal shell in container
  desc: "A shell was started in a container: someone (or something) got a command line inside it."
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: A shell was spawned in a container (user=%user.name shell=%proc.name parent=%proc.pname cmdline=%proc.cmdline container_id=%container.id container_name=%container.name image=%container.image)
  priority: NOTICE
  tags: [container, shell, mitre_execution, T1059]

- rule: Package management process launched in container
  desc: A package manager ran in a container; images should be immutable, so this is someone installing tools.
  condition: spawned_process and container and proc.name in (package_mgmt_binaries)
  output: Package management process launched in container (user=%user.name command=%proc.cmdline container_id=%container.id container_name=%container.name image=%container.image)
  priority: ERROR
  tags: [container, process, mitre_persistence, T1072]

- rule: Compiler launched in container
  desc: "A compiler or build tool ran in a container: code is being built where it should only run."
  condition: spawned_process and container and proc.name in (compiler_binaries)
  output: Compiler launched in container (user=%user.name command=%proc.cmdline container_id=%container.id image=%container.image)
  priority: WARNING
  tags: [container, process, mitre_execution, T1027.004]

- rule: Write below etc
  desc: "A file below /etc was opened for writing: configuration changed at run time."
  condition: open_write and fd.name startswith /etc/
  output: File below /etc opened for writing (user=%user.name command=%proc.cmdline file=%fd.name parent=%proc.pname container_id=%container.id)
  priority: ERROR
  tags: [filesystem, mitre_persistence, T1098]

- rule: Write below binary dir
  desc: "A file in a directory of executables was opened for writing: a binary replaced or planted."
  condition: open_write and fd.directory in (bin_directories)
  output: File below a known binary directory opened for writing (user=%user.name command=%proc.cmdline file=%fd.name container_id=%container.id)
  priority: ERROR
  tags: [filesystem, mitre_persistence, T1543]

- rule: Write below root
  desc: A file in root's home was opened for writing (keys, shell profiles, history).
  condition: open_write and (fd.directory = /root or fd.name startswith /root/)
  output: File below /root opened for writing (user=%user.name command=%proc.cmdline file=%fd.name container_id=%container.id)
  priority: ERROR
  tags: [filesystem, mitre_persistence, T1546]

- rule: Read sensitive file untrusted
  desc: A password, sudo, PAM or ssh key file was read by a program whose job is not to read it.
  condition: open_read and (fd.name in (sensitive_file_names) or fd.directory in (sensitive_directories)) and not proc.name in (auth_binaries)
  output: Sensitive file opened for reading by non-trusted program (user=%user.name program=%proc.name command=%proc.cmdline file=%fd.name parent=%proc.pname container_id=%container.id)
  priority: WARNING
  tags: [filesystem, mitre_credential_access, T1555]

- rule: Launch privileged container
  desc: "A container runs privileged: it has every capability and the host's devices."
  condition: (evt.type = container or (spawned_process and proc.vpid=1)) and container and container.privileged=true
  output: Privileged container started (container_id=%container.id container_name=%container.name image=%container.image)
  priority: WARNING
  tags: [container, cis, mitre_privilege_escalation, T1610]

- rule: Launch sensitive mount container
  desc: A container mounts a sensitive host path (/, /etc, /proc, the container runtime's socket).
  condition: (evt.type = container or (spawned_process and proc.vpid=1)) and container and container.mount.dest in (/, /etc, /proc, /var/run/docker.sock, /run/containerd/containerd.sock)
  output: Container with sensitive mount started (container_id=%container.id image=%container.image mounts=%container.mounts)
  priority: WARNING
  tags: [container, cis, mitre_lateral_movement, T1610]

- rule: Outbound connection from a serving-only process
  desc: A database or cache opened a connection out; such processes only accept connections.
  condition: evt.type = connect and evt.dir=< and (fd.type = ipv4 or fd.type = ipv6) and (evt.rawres >= 0 or evt.res = EINPROGRESS) and not fd.snet in (127.0.0.0/8, ::1/128) and proc.name in (serving_only_binaries)
  output: Outbound connection from a serving-only process (command=%proc.cmdline connection=%fd.name container_id=%container.id image=%container.image)
  priority: NOTICE
  tags: [network, mitre_exfiltration, T1041]

- rule: Container process running as root
  desc: A program started in a container runs as root; a container escape from it is an escape as root.
  condition: spawned_process and container and user.uid = 0
  output: Process running as root in a container (user=%user.name uid=%user.uid command=%proc.cmdline container_id=%container.id container_name=%container.name image=%container.image)
  priority: NOTICE
  tags: [container, users, mitre_privilege_escalation, T1610]

- rule: User switched in container
  desc: su, sudo or runuser started a program in a container (a login as another user there).
  condition: spawned_process and container and (proc.name in (user_switch_binaries) or proc.pname in (user_switch_binaries) or proc.exe in ("-su", "-sudo"))
  output: Program started as another user in a container (user=%user.uid command=%proc.cmdline exe=%proc.exe parent=%proc.pname container_id=%container.id image=%container.image)
  priority: NOTICE
  tags: [container, users, mitre_privilege_escalation, T1548]

- rule: Netcat remote code execution in container
  desc: "netcat or socat ran with an option that executes a program: the classic reverse or bind shell."
  condition: spawned_process and container and proc.name in (netcat_binaries) and (proc.args contains "-e" or proc.args contains "-c" or proc.args contains "exec:")
  output: Netcat runs a program for a network peer (command=%proc.cmdline container_id=%container.id image=%container.image)
  priority: WARNING
  tags: [network, process, mitre_execution, T1059]

- rule: Reverse shell redirect
  desc: "A program put a network socket on its standard input or output (dup2 onto 0, 1 or 2): a reverse shell."
  condition: evt.type in (dup, dup2, dup3) and evt.dir=< and evt.rawarg.newfd in (0, 1, 2) and (fd.type = ipv4 or fd.type = ipv6)
  output: Standard input or output redirected to a network connection (command=%proc.cmdline connection=%fd.name container_id=%container.id)
  priority: WARNING
  tags: [network, process, mitre_execution, T1059]

- rule: Clear log activities
  desc: "A log file was truncated when opened: logs cleared to hide what happened."
  condition: open_write and fd.name startswith /var/log/ and evt.arg.flags contains O_TRUNC
  output: Log file truncated (user=%user.name command=%proc.cmdline file=%fd.name container_id=%container.id)
  priority: WARNING
  tags: [filesystem, mitre_defense_evasion, T1070]
`;
