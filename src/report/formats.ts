/** The `--format` names, without loading the reporters (the CLI lists them for every command, `--help` included). */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'markdown'] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];
