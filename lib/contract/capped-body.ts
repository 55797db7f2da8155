/**
 * A body as UTF-8 text, or null as soon as it passes `maxBytes`: the rest is not read, the stream is cancelled. Both
 * the BFF (request bodies) and the built-in sandboxes (forms, fetched key sets) read untrusted bodies this way.
 */
export async function readCappedText(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string | null> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
