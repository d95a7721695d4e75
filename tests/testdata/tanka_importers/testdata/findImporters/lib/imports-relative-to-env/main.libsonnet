// Resolved through the environment's base dir: see
// environments/lib-import-relative-to-env/README.md.
import '../../file-to-import.libsonnet'
