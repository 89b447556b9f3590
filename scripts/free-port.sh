#!/usr/bin/env bash
# Prints the first port of a free block of N (default 1) consecutive ports
# between 20000 and 32000 on 127.0.0.1.
n=${1:-1}
for _ in $(seq 1 200); do
  base=$((20000 + RANDOM % 12000))
  ok=1
  for i in $(seq 0 $((n - 1))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$((base + i))") 2>/dev/null; then ok=0; break; fi
  done
  if [ $ok = 1 ]; then echo "$base"; exit 0; fi
done
echo "no free port block" >&2
exit 1
