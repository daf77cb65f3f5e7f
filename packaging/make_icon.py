"""Draw the application icon: a red rounded square with a white 工 built from three bars.

Run once after changing the design (``python packaging/make_icon.py``); the results are committed:
``resources/icons/app.png`` (256 px, window icon) and ``resources/icons/app.ico`` (16–256 px, the
Windows executable and installer).
"""

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
RED, DARK, WHITE = (196, 30, 45), (150, 18, 32), (255, 255, 255)
S = 1024  # drawn large, scaled down with a good filter


def draw() -> Image.Image:
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    m, r = 40, 200
    d.rounded_rectangle((m, m + 24, S - m, S - m), r, fill=DARK)  # a shadow edge at the bottom
    d.rounded_rectangle((m, m, S - m, S - m - 24), r, fill=RED)
    bar = 118  # 工: top bar, stem, wider bottom bar
    d.rounded_rectangle((262, 232, S - 262, 232 + bar), 22, fill=WHITE)
    d.rounded_rectangle((S // 2 - bar // 2, 300, S // 2 + bar // 2, 720), 22, fill=WHITE)
    d.rounded_rectangle((192, 682, S - 192, 682 + bar), 22, fill=WHITE)
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(OUT / "app.png", optimize=True)
    sizes = [(n, n) for n in (16, 20, 24, 32, 40, 48, 64, 128, 256)]
    big.resize((256, 256), Image.LANCZOS).save(OUT / "app.ico", sizes=sizes)
    print(f"wrote {OUT / 'app.png'} and {OUT / 'app.ico'}")


if __name__ == "__main__":
    main()
