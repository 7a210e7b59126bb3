/**
 * The path of a request URL for a log line: no query string, which may carry a write key
 * (`?write_key=`), and no fragment.
 */
export function logPath(url: string | undefined): string {
  if (url === undefined) return "";
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}
