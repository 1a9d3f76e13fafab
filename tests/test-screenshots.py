#!/usr/bin/env python3
# Checks the screenshots the AppStream metainfo lists: each <image> is under
# the configured screenshot_base_url, its PNG is in data/screenshots/ (render
# them again with `ninja screenshots`), and the width and height the
# metainfo gives are the PNG's own. A default screenshot is marked.
#
# Usage: test-screenshots.py METAINFO SOURCE_ROOT BASE_URL

import pathlib
import struct
import sys
import xml.etree.ElementTree as ET


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n' or head[12:16] != b'IHDR':
        raise ValueError(f'{path} is not a PNG file')
    return struct.unpack('>II', head[16:24])


def main():
    metainfo, root, base = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    if not base.endswith('/'):
        base += '/'
    tree = ET.parse(metainfo)
    shots = tree.getroot().findall('./screenshots/screenshot')
    errors = []
    if not shots:
        errors.append(f'{metainfo} lists no screenshots')
    if sum(1 for s in shots if s.get('type') == 'default') != 1:
        errors.append('exactly one screenshot must be type="default"')
    for n, shot in enumerate(shots, 1):
        if shot.find('caption') is None:
            errors.append(f'screenshot {n} has no caption')
        for image in shot.findall('image'):
            url = (image.text or '').strip()
            if not url.startswith(base):
                errors.append(f'screenshot {n}: {url} is not under {base}')
                continue
            png = root / 'data' / 'screenshots' / url[len(base):]
            if not png.is_file():
                errors.append(f'screenshot {n}: {png} does not exist (ninja screenshots)')
                continue
            width, height = png_size(png)
            if (str(width), str(height)) != (image.get('width'), image.get('height')):
                errors.append(f'screenshot {n}: {png.name} is {width}×{height}, '
                              f'the metainfo says {image.get("width")}×{image.get("height")}')
            else:
                print(f'ok {n} - {png.name} {width}×{height} at {url}')
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
