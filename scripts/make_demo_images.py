"""Draw the demo plant's work-instruction images (lineside/server/demo_assets/*.png).

Run once after changing a drawing: `.venv/bin/python scripts/make_demo_images.py`; the PNGs
are committed (the demo imports them with `lineside server assets add`), and the demo plant
names each by its sha256, which the script prints.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen, QPolygonF

OUT = Path(__file__).resolve().parents[1] / "lineside" / "server" / "demo_assets"
W, H = 1200, 800
INK = QColor("#1d232a")
PAPER = QColor("#f4f5f6")
MARK = QColor("#c62828")


def canvas() -> tuple[QImage, QPainter]:
    image = QImage(W, H, QImage.Format.Format_RGB32)
    image.fill(PAPER)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return image, painter


def caption(p: QPainter, text: str) -> None:
    p.setPen(INK)
    p.setFont(QFont("DejaVu Sans", 34, QFont.Weight.Bold))
    p.drawText(QRectF(40, 20, W - 80, 70), Qt.AlignmentFlag.AlignLeft, text)


def bottle(p: QPainter, x: float, level: float, *, mark: bool) -> None:
    """A 0.5 l bottle at x with its fill level (0..1 of the body)."""
    body = QRectF(x, 260, 160, 440)
    p.setPen(QPen(INK, 6))
    p.setBrush(QColor("#dfe8ef"))
    p.drawRoundedRect(body, 30, 30)
    p.drawRect(QRectF(x + 50, 170, 60, 90))
    p.setBrush(QColor("#4f7ea8"))
    p.setPen(Qt.PenStyle.NoPen)
    top = body.bottom() - level * body.height()
    p.drawRoundedRect(QRectF(x + 6, top, 148, body.bottom() - top - 6), 24, 24)
    if mark:
        p.setPen(QPen(MARK, 5, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x - 40, 330), QPointF(x + 200, 330))


def fill_level() -> QImage:
    image, p = canvas()
    caption(p, "Fill level: 5 bottles against the gauge")
    for i, level in enumerate((0.84, 0.85, 0.86, 0.84, 0.85)):
        bottle(p, 80 + i * 215, level, mark=True)
    p.setPen(MARK)
    p.setFont(QFont("DejaVu Sans", 26))
    p.drawText(QRectF(40, 720, W - 80, 60), Qt.AlignmentFlag.AlignLeft, "gauge line 500 ml")
    p.end()
    return image


def cap_torque() -> QImage:
    image, p = canvas()
    caption(p, "Cap torque: turn the tester clockwise")
    p.setPen(QPen(INK, 8))
    p.setBrush(QColor("#dfe8ef"))
    p.drawEllipse(QRectF(350, 180, 500, 500))
    p.setBrush(QColor("#4f7ea8"))
    p.drawEllipse(QRectF(500, 330, 200, 200))
    p.setPen(QPen(MARK, 10))
    p.drawArc(QRectF(300, 130, 600, 600), 30 * 16, 120 * 16)
    p.setBrush(MARK)
    p.drawPolygon(QPolygonF([QPointF(340, 260), QPointF(300, 330), QPointF(390, 320)]))
    p.setFont(QFont("DejaVu Sans", 28))
    p.setPen(INK)
    p.drawText(QRectF(40, 710, W - 80, 60), Qt.AlignmentFlag.AlignLeft, "1.2 – 2.0 Nm")
    p.end()
    return image


def refractometer() -> QImage:
    image, p = canvas()
    caption(p, "Sugar content: one drop on the prism")
    p.setPen(QPen(INK, 8))
    p.setBrush(QColor("#dfe8ef"))
    p.drawRoundedRect(QRectF(150, 330, 900, 180), 40, 40)
    p.setBrush(QColor("#4f7ea8"))
    p.drawRect(QRectF(820, 300, 180, 240))
    p.setBrush(QColor("#e3b341"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QRectF(880, 250, 50, 50))
    p.setPen(QPen(MARK, 5, Qt.PenStyle.DashLine))
    p.drawLine(QPointF(905, 200), QPointF(905, 290))
    p.setPen(INK)
    p.setFont(QFont("DejaVu Sans", 28))
    p.drawText(QRectF(40, 700, W - 80, 60), Qt.AlignmentFlag.AlignLeft, "10.5 – 11.5 °Bx")
    p.end()
    return image


def label_position() -> QImage:
    image, p = canvas()
    caption(p, "Label 15 mm above the base, seam at the back")
    bottle(p, 520, 0.85, mark=False)
    p.setBrush(QColor("#e3b341"))
    p.setPen(QPen(INK, 4))
    p.drawRect(QRectF(514, 450, 172, 160))
    p.setPen(QPen(MARK, 5))
    p.drawLine(QPointF(760, 610), QPointF(760, 700))
    p.drawText(QRectF(780, 620, 300, 60), Qt.AlignmentFlag.AlignLeft, "15 mm")
    p.end()
    return image


DRAWINGS = {
    "fill_level.png": fill_level,
    "cap_torque.png": cap_torque,
    "refractometer.png": refractometer,
    "label_position.png": label_position,
}


def main() -> None:
    app = QGuiApplication([])
    OUT.mkdir(exist_ok=True)
    for name, draw in DRAWINGS.items():
        path = OUT / name
        draw().save(str(path), "PNG", 6)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"sha256:{digest}  {path.name}  {path.stat().st_size // 1024} KB")
    del app


if __name__ == "__main__":
    main()
