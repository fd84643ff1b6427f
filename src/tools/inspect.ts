/**
 * npm run --silent inspect -- <saved page .html | API response .json> [--url URL]
 * Prints the page's Observation[] as one JSON array on stdout; problems go to stderr, exit 1.
 */
import { InspectError, inspectFile } from './inspect-core.ts';

const USAGE = `usage: npm run --silent inspect -- <saved page .html | API response .json> [--url URL]
  Prints what Rapport reads in the file as one JSON array of observations.
  --url URL  the address the file was saved from (a page's kind, an API operation)
`;

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const args = [...argv];
  let url: string | undefined;
  const at = args.indexOf('--url');
  if (at >= 0) {
    url = args[at + 1];
    if (!url) {
      process.stderr.write('inspect: --url needs a value\n');
      return 1;
    }
    args.splice(at, 2);
  }
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown) {
    process.stderr.write(`inspect: unknown option ${unknown}\n${USAGE}`);
    return 1;
  }
  const [file, ...rest] = args;
  if (!file || rest.length > 0) {
    process.stderr.write(USAGE);
    return 1;
  }
  try {
    process.stdout.write(JSON.stringify(inspectFile(file, url)) + '\n');
    return 0;
  } catch (error) {
    process.stderr.write(
      `inspect: ${error instanceof InspectError ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
