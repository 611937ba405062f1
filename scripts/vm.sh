#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one kernel of the matrix under QEMU and run a command inside it.
#
# Usage: scripts/vm.sh [-t SECONDS] [-m MiB] [-c CPUS] KERNEL COMMAND...
#
# The guest sees the host's / read-only over virtio-9p (so it runs the host's
# own ip, ethtool, tcpdump, python3...) with tmpfs on the writable places, and
# a read-write work directory at $VNET_WORK. COMMAND runs from the repo's top
# directory with bash. The script exits with COMMAND's status, or with
#   124  the guest timed out       125  the guest died (panic, oops)
# The console is printed as it comes; set VNET_CONSOLE=FILE to save it, and
# VNET_OUT=DIR to keep what the guest left in $VNET_WORK. VNET_SHARE=DIR
# shares a host directory read-write at the same path: guests side by side
# claim their test cases there (tests/guest-run.sh, VNET_CLAIMS).
set -euo pipefail
. "$(dirname "$0")/common.sh"

timeout_s=600 mem=1024 cpus=2
while getopts t:m:c: o; do
	case $o in
	t) timeout_s=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	*) vnet_die "usage: $0 [-t SECONDS] [-m MiB] [-c CPUS] KERNEL COMMAND..." ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || vnet_die "usage: $0 [-t SECONDS] [-m MiB] [-c CPUS] KERNEL COMMAND..."
kernel=$1
shift

vnet_apt qemu-system-x86 busybox-static kmod cpio
vnet_kernel "$kernel"

# make_initramfs: busybox plus the modules needed to reach the 9p root
# (built in on the debug kernel, modules on Debian's). Cached per kernel.
make_initramfs() {
	local out="$VNET_CACHE/initramfs-$KREL.cpio.gz" dir modroot
	local stamp
	stamp=$(sha256sum "$VNET_TOP/scripts/vm.sh" | cut -c1-12)
	if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$stamp" ]; then
		echo "$out"
		return
	fi
	dir=$(mktemp -d)
	mkdir -p "$dir"/{bin,dev,proc,sys,newroot,lib/modules}
	cp /bin/busybox "$dir/bin/busybox"
	: > "$dir/modules.list"
	if [ -n "$KMODS" ]; then
		modroot=$(dirname "$(dirname "$(dirname "$KMODS")")")	# the dir holding lib/modules
		for m in virtio_pci 9pnet_virtio 9p overlay; do
			modprobe -S "$KREL" -d "$modroot" --show-depends "$m" 2>/dev/null
		done |
		awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++' |
		while read -r ko; do
			# modprobe prints the path with or without the -d prefix.
			[ -f "$ko" ] || ko="$modroot$ko"
			cp "$ko" "$dir/lib/modules/"
			basename "$ko" >> "$dir/modules.list"
		done
	fi
	cat > "$dir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /modules.list); do
	insmod "/lib/modules/$m" 2>/dev/null
done
mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=512000 hostroot /newroot ||
	{ echo "vnet-init: cannot mount the host root"; poweroff -f; }
ginit=$(sed -n 's/.*vnet.init=\([^ ]*\).*/\1/p' /proc/cmdline)
umount /proc /sys /dev
exec switch_root /newroot /bin/bash "$ginit"
INIT
	chmod +x "$dir/init"
	# Two guests of one kernel may boot at once (scripts/test.sh): each
	# writes its own copy and renames it into place.
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp.$$"
	rm -rf "$dir"
	mv "$out.tmp.$$" "$out"
	echo "$stamp" > "$out.key.$$"
	mv "$out.key.$$" "$out.key"
	echo "$out"
}

# kvm_usable: a bounded trial boot, remembered per host kernel. Nested KVM
# hangs in early boot on some hosts; TCG always works.
kvm_usable() {
	local memo="$VNET_CACHE/kvm-$(uname -r)"
	[ "${VNET_KVM:-auto}" = 0 ] && return 1
	[ -w /dev/kvm ] || return 1
	if [ ! -f "$memo" ]; then
		if VNET_KVM=try timeout 40 "$0" -t 30 "$kernel" true >/dev/null 2>&1; then
			echo yes > "$memo"
		else
			echo no > "$memo"
		fi
	fi
	[ "$(cat "$memo")" = yes ]
}

initrd=$(make_initramfs)
work=$(mktemp -d "${TMPDIR:-/tmp}/vnet-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT

# VNET_TCG_THREAD=single|multi: QEMU's TCG runs the vCPUs on one host thread
# in turn (the default), or one thread each. Multi-threaded TCG (QEMU 7.2)
# lets a vCPU run a stale translation of kernel text that the other vCPU
# has just patched (a static key, a tracepoint, the XDP dispatcher). Seen
# as "Oops: int3" on 6.12 and 7.2 (RIP one byte into the patched
# instruction), and on the debug kernel as hangs: in one of five runs of
# 40-xdp-basic its trace event's enable waited 60 s in text_poke_bp() for
# the other vCPU (an RCU stall panic). scripts/tcg-poke-stress.sh (vnet
# not loaded) hung every multi-threaded boot it ran in - debug twice
# within 500 flips, 6.1 three times within its first seconds, a vCPU in
# asm_exc_int3 or on a patched jump in __schedule with interrupts off -
# and ran 1,000 (debug) and 3,000 (6.1) flips cleanly single-threaded
# (2026-12-04). So every guest runs single-threaded; scripts/test.sh runs
# two at a time, one host CPU each. The benchmarks (scripts/bench.sh) ask
# for multi-threaded TCG: they measure two CPUs working at once.
tcg_thread=${VNET_TCG_THREAD:-single}
accel="-accel tcg,thread=$tcg_thread"
accel_name="TCG $tcg_thread-threaded"
cpu="max,la57=off"
if [ "${VNET_KVM:-auto}" = try ] || { [ "${VNET_KVM:-auto}" != 0 ] && kvm_usable; }; then
	accel="-accel kvm"
	accel_name=KVM
	cpu="host"
fi

# The job, with what the guest may want to know of its boot (VNET_ACCEL:
# the benchmarks print it beside their figures).
{
	echo "export VNET_KERNEL=$kernel VNET_KREL=$KREL VNET_WORK=$work"
	echo "export VNET_ACCEL='$accel_name'"
	echo "cd $(printf %q "$VNET_TOP")"
	printf '%s\n' "$*"
	echo
} > "$work/job.sh"

# norandmaps: no address-space randomisation in the guest. TCG caches its
# translations of guest code by address; with ASLR every process maps its
# loader and libraries elsewhere, and every exec translates them afresh.
# Without it, fork+exec costs a third as much (16 vs 45 ms on 6.1).
append="console=ttyS0 loglevel=4 panic=-1 oops=panic no_hash_pointers norandmaps"
# A CPU that passes no RCU quiescent state for a minute is stuck (a lockup
# or a livelock): panic then, rather than run on to the time limit with
# nothing on the console. panic_print=0x68: every CPU's backtrace, the
# locks held (lockdep), then the whole log again - the stall reports' stack
# dumps were printed below loglevel 4, and this is how they reach us.
append+=" rcupdate.rcu_cpu_stall_timeout=60 sysctl.kernel.panic_on_rcu_stall=1"
append+=" panic_print=0x68"
append+=" vnet.init=$VNET_TOP/scripts/guest-init.sh vnet.work=$work vnet.mods=${KMODS:-none}"
append+=" vnet.top=$VNET_TOP"
share=()
if [ -n "${VNET_SHARE:-}" ]; then
	share=(-fsdev "local,id=share,path=$VNET_SHARE,security_model=none"
	       -device virtio-9p-pci,fsdev=share,mount_tag=share)
	append+=" vnet.share=$VNET_SHARE"
fi
append+=" ${VNET_APPEND:-}"

# A guest still running 30 s before its time limit may be hung where its
# own harness cannot report (userspace starved, a livelock, both CPUs
# spinning with interrupts off): scripts/vm-hang-dump.py presses SysRq on
# its emulated keyboard (every CPU's backtrace, blocked tasks, locks held)
# and prints where QEMU sees each vCPU, named from the kernel's System.map
# (nokaslr: the map's addresses are the running ones).
append+=" sysrq_always_enabled nokaslr"
mon=$(mktemp -u "${TMPDIR:-/tmp}/vnet-mon.XXXXXX")
sysmap=
for f in "$(dirname "$KIMAGE")/image-$KREL/boot/System.map-$KREL" "$KDIR/System.map"; do
	[ -f "$f" ] && sysmap=$f && break
done
# One process, so that the trap below ends it with one kill (a failing
# command in an EXIT trap would become vm.sh's exit status under set -e).
python3 "$VNET_TOP/scripts/vm-hang-dump.py" $((timeout_s > 60 ? timeout_s - 30 : timeout_s)) \
	"$mon" ${sysmap:+"$sysmap"} 2>&1 &
dumper=$!
trap 'kill "$dumper" 2>/dev/null || true; rm -rf "$work" "$mon"' EXIT

set +e
# shellcheck disable=SC2086
timeout --foreground "$timeout_s" qemu-system-x86_64 $accel -machine q35 -cpu "$cpu" \
	-smp "$cpus" -m "$mem" -display none -monitor "unix:$mon,server=on,wait=off" \
	-serial stdio -no-reboot -nic none \
	-kernel "$KIMAGE" -initrd "$initrd" -append "$append" \
	-fsdev local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev local,id=work,path="$work",security_model=none \
	-device virtio-9p-pci,fsdev=work,mount_tag=work "${share[@]}" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-device virtio-rng-pci </dev/null 2>&1 | tee "${VNET_CONSOLE:-/dev/null}" |
	tr -d '\r'
qrc=${PIPESTATUS[0]}
set -e
if [ -n "${VNET_OUT:-}" ]; then
	mkdir -p "$VNET_OUT"
	cp -r "$work/." "$VNET_OUT/"
fi
if [ "$qrc" = 124 ]; then
	vnet_log "the guest ($kernel) timed out after ${timeout_s}s"
	exit 124
fi
if [ ! -f "$work/rc" ]; then
	vnet_log "the guest ($kernel) died before finishing (qemu exit $qrc)"
	exit 125
fi
exit "$(cat "$work/rc")"
