/** What every `mlops` subcommand module exports (src/cli/commands/<name>.ts). */
export interface CliCommand {
  /** One line for `mlops --help`. */
  summary: string;
  /** Full usage text for `mlops <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. Throw ConfigurationError for user mistakes. */
  run(argv: string[]): Promise<number>;
}
