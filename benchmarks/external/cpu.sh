# The CPU time of processes, for the idle figures of run.sh and container.sh (sourced by both).

# The CPU ticks of processes ($@) and all their descendants: utime + stime, and with WAITED=1 also
# cutime + cstime (what their children that ended cost, such as the seds that sh runs for a message).
ticks() {
  local all=("$@") p i=0
  while ((i < ${#all[@]})); do
    for p in $(cat /proc/"${all[$i]}"/task/*/children 2>/dev/null); do all+=("$p"); done
    i=$((i + 1))
  done
  for p in "${all[@]}"; do awk -v w="${WAITED:-0}" '{print $14 + $15 + w * ($16 + $17)}' /proc/"$p"/stat 2>/dev/null
  done | awk '{t += $1} END {print t + 0}'
}
# The CPU ticks of one process ($1) alone.
self() { awk '{print $14 + $15}' /proc/"$1"/stat; }
