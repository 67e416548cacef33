/**
 * Reads, then reads again every 100 ms until `done` holds or `retries`
 * more reads have been made (15 seconds by default), and gives back the last value read: the test's assertion on it then says
 * what was wrong, where a timeout would only say that it took too long.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  retries = 150,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < retries && !done(value); i++) {
    await new Promise(r => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
