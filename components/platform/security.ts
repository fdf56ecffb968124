/**
 * Pod Security "restricted" settings, written once. Every pod Watchpost runs in
 * the monitoring namespace (our manifests and chart values) takes these, so the
 * namespace can enforce `restricted` and a test can check each one.
 */

/** Container-level settings the restricted profile requires, plus a read-only root filesystem. */
export const restrictedContainer: {
  allowPrivilegeEscalation: false;
  readOnlyRootFilesystem: true;
  runAsNonRoot: true;
  capabilities: { drop: string[] };
  seccompProfile: { type: string };
} = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** Pod-level settings: a fixed non-root user (the image's own), its group owning mounted volumes. */
export function restrictedPod(uid: number, gid: number = uid): Record<string, unknown> {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: gid, fsGroup: gid, seccompProfile: { type: "RuntimeDefault" } };
}

/** The same container settings with the user pinned, for charts that have no pod-level security context. */
export function restrictedContainerAs(uid: number, gid: number = uid): Record<string, unknown> {
  return { ...restrictedContainer, runAsUser: uid, runAsGroup: gid };
}
