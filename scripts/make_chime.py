"""Write the stop chime, lineside/resources/sounds/stop.wav: two falling tones (0.4 s, 16-bit
mono, 22050 Hz) made here rather than taken from elsewhere, so its origin and licence are ours."""

from __future__ import annotations

import argparse
import io
import math
import struct
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHIME = ROOT / "lineside" / "resources" / "sounds" / "stop.wav"
RATE = 22050
TONES = ((988.0, 0.2), (740.0, 0.2))  # B5 then F#5: a "ding-dong" heard over a machine hall
LEVEL = 0.6  # of full scale: loud, with room left so no sample clips
FADE_S = 0.01  # in and out of each tone, so it starts and ends without a click


def samples() -> list[int]:
    """The chime's samples, tone after tone, each with a short fade in and a decay."""
    out = []
    for frequency, seconds in TONES:
        count = round(seconds * RATE)
        fade = round(FADE_S * RATE)
        for n in range(count):
            t = n / RATE
            envelope = min(1.0, n / fade, (count - n) / fade) * math.exp(-3.0 * t / seconds)
            out.append(round(32767 * LEVEL * envelope * math.sin(2 * math.pi * frequency * t)))
    return out


def chime() -> bytes:
    """The whole WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        data = samples()
        out.writeframes(struct.pack(f"<{len(data)}h", *data))
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=CHIME, help=f"where to write (default {CHIME})")
    out = parser.parse_args().out
    out.write_bytes(chime())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
