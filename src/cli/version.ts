// Materia's own version, printed by `materia --version` and INFO.
export const MATERIA_VERSION = "0.1.0";
