// Sizes as people write them for --max-body: "1mb", "512kb", "65536".
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)?\s*$/i.exec(text);
  if (!match) throw new Error(`expected a size such as 1mb, 512kb or 65536, got "${text}"`);
  const unit = (match[2] ?? "b").toLowerCase();
  const factor = unit.startsWith("m") ? 1024 * 1024 : unit.startsWith("k") ? 1024 : 1;
  return Math.floor(Number(match[1]) * factor);
}
