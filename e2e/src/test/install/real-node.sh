#!/usr/bin/env bash
# A real single-node Kubernetes cluster for the install tier, from the kube-apiserver, etcd,
# kube-controller-manager, kube-scheduler and kubelet binaries in K8S_BIN and Debian's containerd,
# runc and CNI plugins. Everything listens on 127.0.0.1 only and keeps its state under DIR.
#
#   real-node.sh up DIR       start it (writes DIR/admin.kubeconfig, DIR/env with the ports)
#   real-node.sh import DIR TAR...   import docker-archive image tars into its containerd
#   real-node.sh down DIR     stop everything it started and remove what it left on the host
#
# Environment: K8S_BIN (directory of the binaries), NODE_NAME (default localhost: the API server
# reaches the kubelet on loopback by the node's name, for `kubectl logs`, with no /etc/hosts line),
# BRIDGE (default br0), and free ports API_PORT, ETCD_PORT, ETCD_PEER_PORT, KUBELET_PORT (chosen by
# the caller).
#
# What it changes outside DIR, all undone by `down` (see README, "Install tier"):
#   - the host bridge BRIDGE (the Windows example's NIC), created when missing, with no uplink, no
#     address and left down; removed if this script created it (a bridge the host had is left alone)
#   - cgroups: the kubelet creates /kubepods (cgroup v1 hierarchies) or kubepods.slice; removed
#   - /var/log/pods and /var/log/containers: the kubelet's pod logs (fixed paths); this node's removed
#   - /run/containerd/s (containerd's shim sockets, a fixed path); removed when empty
set -euo pipefail

cmd=${1:?usage: real-node.sh up|import|down DIR}
DIR=$(realpath -m "${2:?usage: real-node.sh up|import|down DIR}")
NODE_NAME=${NODE_NAME:-localhost}
BRIDGE=${BRIDGE:-br0}
PKI=$DIR/pki
LOGS=$DIR/logs
CTRD=$DIR/containerd
SOCK=$CTRD/containerd.sock

log() { echo "real-node: $*" >&2; }
die() { log "$*"; exit 1; }

start() { # name command...
  local name=$1
  shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$DIR/pids/$name"
}

wait_for() { # what seconds command...
  local what=$1 seconds=$2
  shift 2
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || die "$what not up after ${seconds}s; logs in $LOGS"
    sleep 0.5
  done
}

certs() {
  mkdir -p "$PKI"
  cd "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=vguest-install-ca -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout apiserver.key -out apiserver.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >apiserver.ext
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile apiserver.ext -out apiserver.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=admin" -keyout admin.key -out admin.csr 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >admin.ext
  openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile admin.ext -out admin.crt 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  cd - >/dev/null
  cat >"$DIR/admin.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: install
  cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$PKI/ca.crt"}
users:
- name: admin
  user: {client-certificate: "$PKI/admin.crt", client-key: "$PKI/admin.key"}
contexts:
- name: install
  context: {cluster: install, user: admin}
current-context: install
KC
}

containerd_config() {
  mkdir -p "$CTRD" "$DIR/cni"
  cat >"$CTRD/config.toml" <<TOML
version = 2
root = "$CTRD/root"
state = "$CTRD/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$CTRD/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CTRD/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10"
  restrict_oom_score_adj = true
  disable_apparmor = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$CTRD/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$DIR/cni"
TOML
  # A pod network for pods that are not on the host's network (the agent is); a bridge appears
  # only when such a pod starts.
  cat >"$DIR/cni/10-vguest-install.conflist" <<CNI
{"cniVersion": "1.0.0", "name": "vguest-install", "plugins": [
  {"type": "bridge", "bridge": "vgi0", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.244.0.0/24"}]], "dataDir": "$DIR/cni-ipam"}},
  {"type": "loopback"}]}
CNI
}

kubelet_config() {
  mkdir -p "$DIR/kubelet"
  cat >"$DIR/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $KUBELET_PORT
readOnlyPort: 0
healthzPort: 0
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$SOCK
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "1Mi", nodefs.available: "0%", imagefs.available: "0%"}
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: AlwaysAllow}
registerNode: true
syncFrequency: 10s
fileCheckFrequency: 10s
YAML
}

up() {
  [ -n "${K8S_BIN:-}" ] || die "K8S_BIN not set"
  for v in API_PORT ETCD_PORT ETCD_PEER_PORT KUBELET_PORT; do
    [ -n "${!v:-}" ] || die "$v not set"
  done
  down
  rm -rf "$DIR"
  mkdir -p "$DIR/pids" "$LOGS"
  certs
  containerd_config
  kubelet_config
  printf 'API_PORT=%s\nNODE_NAME=%s\n' "$API_PORT" "$NODE_NAME" >"$DIR/env"
  bridge
  # What the kubelet's fixed log directory held before, so `down` removes only this node's logs.
  ls -1 /var/log/pods >"$DIR/pod-logs-before" 2>/dev/null || true
  if [ -d /var/log/pods ]; then touch "$DIR/pod-logs-dir-existed"; fi
  local kc=$DIR/admin.kubeconfig

  start etcd "$K8S_BIN/etcd" --name install --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "install=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls ""
  start containerd containerd --config "$CTRD/config.toml"
  start kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" --authorization-mode Node,RBAC \
    --enable-admission-plugins ServiceAccount \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" --service-cluster-ip-range 10.0.0.0/24 \
    --kubelet-client-certificate "$PKI/admin.crt" --kubelet-client-key "$PKI/admin.key" \
    --kubelet-preferred-address-types Hostname,InternalIP --cert-dir "$PKI/apiserver-generated"
  wait_for "kube-apiserver" 60 "$K8S_BIN/kubectl" --kubeconfig "$kc" get --raw /readyz
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig "$kc" \
    --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --leader-elect=false --use-service-account-credentials=false --bind-address 127.0.0.1 --secure-port 0
  start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$kc" --authentication-kubeconfig "$kc" \
    --authorization-kubeconfig "$kc" --leader-elect=false --bind-address 127.0.0.1 --secure-port 0
  wait_for "containerd" 30 ctr --address "$SOCK" version
  pause_image
  start kubelet "$K8S_BIN/kubelet" --config "$DIR/kubelet/config.yaml" --kubeconfig "$kc" \
    --root-dir "$DIR/kubelet/root" --cert-dir "$DIR/kubelet/pki" --hostname-override "$NODE_NAME" \
    --node-labels vguest.io/install-tier=true
  wait_for "node $NODE_NAME Ready" 90 sh -c "'$K8S_BIN/kubectl' --kubeconfig '$kc' get node '$NODE_NAME' \
    -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
  log "node $NODE_NAME Ready; API server https://127.0.0.1:$API_PORT"
}

# The pod sandbox image, built here: a static program that waits for SIGTERM and reaps children
# (what Kubernetes' pause does), packed as a one-layer docker-archive named as containerd expects.
pause_image() {
  local b=$DIR/pause
  mkdir -p "$b/rootfs"
  cat >"$b/pause.c" <<'C'
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>
static void down(int sig) { (void) sig; _exit(0); }
static void reap(int sig) { (void) sig; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction a = {0};
  a.sa_handler = down;
  sigaction(SIGINT, &a, NULL);
  sigaction(SIGTERM, &a, NULL);
  a.sa_handler = reap;
  a.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &a, NULL);
  for (;;) pause();
}
C
  gcc -Os -static -o "$b/rootfs/pause" "$b/pause.c" || die "cannot build the pause program (gcc, libc6-dev)"
  tar -C "$b/rootfs" -cf "$b/layer.tar" pause
  local diff
  diff=$(sha256sum "$b/layer.tar" | cut -d' ' -f1)
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/pause"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff" >"$b/config.json"
  printf '[{"Config":"config.json","RepoTags":["registry.k8s.io/pause:3.10"],"Layers":["layer.tar"]}]' >"$b/manifest.json"
  tar -C "$b" -cf "$b/pause.tar" manifest.json config.json layer.tar
  ctr --address "$SOCK" -n k8s.io images import "$b/pause.tar" >&2 || die "import of the pause image failed"
}

# The host bridge guests' bridged NICs name: a bridge with no port but the guests' taps, so their
# traffic stays on it.
bridge() {
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "bridge $BRIDGE exists on the host; used as it is and left in place"
    return 0
  fi
  ip link add "$BRIDGE" type bridge || die "cannot create bridge $BRIDGE (iproute2, CAP_NET_ADMIN)"
  echo "$BRIDGE" >"$DIR/bridge-created"
}

import_images() {
  shift 2
  for tar in "$@"; do
    ctr --address "$SOCK" -n k8s.io images import "$tar" >&2 || die "import of $tar failed"
  done
}

stop_pid() { # name signal
  local f=$DIR/pids/$1
  [ -f "$f" ] || return 0
  local pid
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "-${2:-TERM}" "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

down() {
  [ -d "$DIR" ] || return 0
  stop_pid kubelet
  # The pods' containers: their shims outlive containerd; stop them through containerd first.
  if [ -S "$SOCK" ]; then
    for c in $(ctr --address "$SOCK" -n k8s.io tasks list -q 2>/dev/null); do
      ctr --address "$SOCK" -n k8s.io tasks kill -s KILL "$c" >/dev/null 2>&1 || true
    done
    sleep 1
    for c in $(ctr --address "$SOCK" -n k8s.io tasks list -q 2>/dev/null); do
      ctr --address "$SOCK" -n k8s.io tasks delete -f "$c" >/dev/null 2>&1 || true
    done
  fi
  # Shims of this containerd (their command line names its socket), should any be left.
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $SOCK" 2>/dev/null || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  stop_pid kube-scheduler
  stop_pid kube-controller-manager
  stop_pid kube-apiserver
  stop_pid containerd
  stop_pid etcd
  # Mounts left under the state directories (pod volumes, rootfs, sandbox shm).
  { grep -o " $DIR/[^ ]*" /proc/self/mounts 2>/dev/null || true; } | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  # cgroups the kubelet created
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h/kubepods" ] || continue
    find "$h/kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  if [ -d /sys/fs/cgroup/kubepods.slice ]; then
    find /sys/fs/cgroup/kubepods.slice -depth -type d -exec rmdir {} \; 2>/dev/null || true
  fi
  # pod logs of this node's pods (the kubelet writes them to fixed paths)
  if [ -d /var/log/pods ]; then
    for d in /var/log/pods/*; do
      [ -e "$d" ] || continue
      grep -qxF "$(basename "$d")" "$DIR/pod-logs-before" 2>/dev/null || rm -rf "$d"
    done
  fi
  find /var/log/containers -xtype l -delete 2>/dev/null || true
  if [ ! -f "$DIR/pod-logs-dir-existed" ]; then
    rmdir /var/log/pods /var/log/containers 2>/dev/null || true
  fi
  rmdir /run/containerd/s /run/containerd 2>/dev/null || true
  # the bridge, if this node created it (QEMU removed the guests' taps when they stopped)
  if [ -f "$DIR/bridge-created" ]; then
    ip link del "$(cat "$DIR/bridge-created")" 2>/dev/null || true
    rm -f "$DIR/bridge-created"
  fi
  log "stopped"
}

case "$cmd" in
  up) up ;;
  import) import_images "$@" ;;
  down) down ;;
  *) die "unknown command $cmd" ;;
esac
