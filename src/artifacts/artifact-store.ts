/**
 * One artifact, as MLflow's FileInfo describes it. `path` is relative to the store root in the
 * canonical form of `normalizeArtifactPath`; directories carry no size or digest.
 */
export interface ArtifactFileInfo {
  path: string;
  isDir: boolean;
  size?: number;
  /** `sha256:<hex>` of the contents, when the backend knows it. */
  digest?: string;
}

/**
 * Where artifact bytes live. Every backend (local content-addressed folder now, S3 later) implements
 * this and runs `artifactStoreContract`. All paths go through `normalizeArtifactPath`, so a path that
 * could escape the store is refused with INVALID_ARGUMENT before anything is read or written.
 *
 * Namespace rules shared by all backends (so an S3 prefix and a folder behave the same):
 * - a path is either a file or a directory: putting `a/b` when `a` is a file, or `a` when `a/` holds
 *   files, is INVALID_ARGUMENT;
 * - directories exist only while they hold files: deleting the last file removes its empty parents.
 */
export interface ArtifactStore {
  /** Streams `source` into the store under `path` (relative, normalised by the store). Overwrites. */
  put(path: string, source: NodeJS.ReadableStream | Uint8Array | string): Promise<ArtifactFileInfo>;
  /** A stream of the file's bytes; NOT_FOUND if absent (or a directory). Never buffers whole files. */
  get(path: string): Promise<NodeJS.ReadableStream>;
  /** File or directory ('' = the root, always a directory), null if neither. */
  stat(path: string): Promise<ArtifactFileInfo | null>;
  /** Direct children of a directory ('' = root), sorted by path; paths are relative to the store root (like MLflow's FileInfo). Empty array for a missing dir. */
  list(dir: string): Promise<ArtifactFileInfo[]>;
  /** Deletes a file or a whole directory tree; NOT_FOUND if nothing is there. The root cannot be deleted. */
  delete(path: string): Promise<void>;
}
