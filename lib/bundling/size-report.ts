/** Size of one package (top-level folder or module) in a bundle. */
export interface PackageSize {
  /** Package, module or distribution name (a `*.dist-info` folder counts towards its project). */
  readonly name: string;
  /** Unzipped bytes. */
  readonly bytes: number;
}

/** The measured size of a staged bundle. */
export interface BundleSizeReport {
  /** Total unzipped bytes of every file. */
  readonly unzippedBytes: number;
  /** Number of files. */
  readonly fileCount: number;
  /** The largest packages, largest first (at most 10). */
  readonly largestPackages: PackageSize[];
}
