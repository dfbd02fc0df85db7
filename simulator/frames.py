"""Camera pictures for the simulator: a JPEG showing what the printer is doing.

A frame shows the printer's name, the job state, a progress bar with its
percentage and the time, so a person watching the demo (or a test decoding
the JPEG) can tell frames of different printers and moments apart. Drawing
is a handful of rectangles and text: a 1280x720 frame takes a few ms.
"""

from __future__ import annotations

from datetime import datetime
import functools
import io

from PIL import Image, ImageDraw, ImageFont

BACKGROUND = (28, 30, 36)
TEXT = (235, 235, 235)
DIM_TEXT = (150, 155, 165)
BAR_OUTLINE = (200, 200, 200)
BAR_FILL = (0, 174, 66)  # Bambu green


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The bundled default font at ``size`` px, loaded once per size."""
    return ImageFont.load_default(size=size)


def render_frame(
    printer_name: str,
    *,
    state: str,
    progress: int | None,
    now: datetime,
    size: tuple[int, int] = (1280, 720),
    quality: int = 70,
) -> bytes:
    """Draw one camera frame and return it as JPEG bytes.

    ``progress`` is a percentage (clamped to 0..100); None draws an empty bar
    labelled "-- %", as when no job is loaded.
    """
    width, height = size
    if width < 16 or height < 16:
        raise ValueError(f"frame size {size} is too small")
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = width // 20
    unit = max(height // 12, 4)  # text and bar sizes follow the height

    draw.text((margin, unit), printer_name, fill=TEXT, font=_font(unit))
    draw.text(
        (margin, unit * 5 // 2), state.upper(), fill=DIM_TEXT, font=_font(unit * 2 // 3)
    )

    top = height // 2
    right = width - margin
    draw.rectangle(
        (margin, top, right, top + unit), outline=BAR_OUTLINE, width=max(unit // 16, 1)
    )
    if progress is None:
        label = "-- %"
    else:
        percent = min(max(progress, 0), 100)
        label = f"{percent} %"
        inset = max(unit // 8, 2)  # a gap between the outline and the fill
        left, inner = margin + inset, right - margin - 2 * inset
        filled = inner * percent // 100
        if filled > 0:
            draw.rectangle(
                (left, top + inset, left + filled, top + unit - inset), fill=BAR_FILL
            )
    draw.text((margin, top + unit * 3 // 2), label, fill=TEXT, font=_font(unit))

    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    draw.text(
        (right, height - unit),
        stamp,
        fill=DIM_TEXT,
        font=_font(unit // 2),
        anchor="rd",  # right end on the descender line: fits any text width
    )

    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
