#!/usr/bin/env python3
"""Make scanned documents that are not budget reports — notices, letters,
replies, minutes, as a crawl of a government site brings them — to test
that the OCR gate skips them without reading them page by page.

    scripts/make_nonreports.py OUTDIR [--count 20] [--seed 27]

Each OUTDIR/nonreport-NN.pdf is one to three A4 pages of Chinese text (a
title, a salutation, numbered paragraphs, a signature and a date) drawn
with a CJK font that is installed (Noto Sans/Serif CJK or WenQuanYi, found
with fc-list), scanned at 300 dpi as grey JPEG or 1-bit, page images only.
Some speak of money and budgets (预算执行, 资金, 万元) the way notices do,
without being a report. Deterministic for a seed.

Needs Python's Pillow and fontconfig's fc-list.
"""

import argparse
import os
import random
import subprocess
import sys

from PIL import Image, ImageDraw, ImageFont

A4 = (2480, 3508)  # 300 dpi

KINDS = ["通知", "函", "复函", "通报", "会议纪要", "公告", "意见", "邀请函"]
ISSUERS = [
    "市人民政府办公室", "区教育局", "县农业农村局", "市生态环境局", "区住房和城乡建设局",
    "县卫生健康委员会", "市交通运输局", "区文化和旅游局", "县应急管理局", "市市场监督管理局",
]
SUBJECTS = [
    "开展春季安全生产大检查", "做好防汛抗旱准备工作", "组织全民健身运动会", "加强校园食品安全管理",
    "推进农村人居环境整治", "举办职业技能竞赛", "做好节日期间值班值守", "开展垃圾分类宣传周活动",
    "征集民生实事项目建议", "加强冬季供暖保障", "召开年度工作推进会", "开展消防安全培训",
]
SENTENCES = [
    "各单位要高度重视，明确责任分工，确保各项工作落到实处。",
    "请于本月底前将工作开展情况报送办公室，逾期未报的将予以通报。",
    "活动期间要加强组织协调，做好人员安全保障和后勤服务工作。",
    "各有关部门要密切配合，形成工作合力，及时研究解决工作中遇到的问题。",
    "要充分利用广播、电视、网络等渠道，广泛开展宣传，营造良好氛围。",
    "对工作中发现的问题，要建立台账，限期整改，整改情况及时上报。",
    "本次活动所需经费由各单位在年度预算中统筹安排，严格执行财务制度。",
    "项目资金共计八十万元，专款专用，任何单位不得挤占挪用。",
    "请各单位指定一名联络员，负责日常联系和信息报送工作。",
    "会议要求，各单位要进一步提高认识，强化担当，推动工作取得实效。",
    "联系人及电话请以书面形式报送，材料同时报送电子版。",
    "检查组将采取听取汇报、查阅资料、实地察看等方式进行检查。",
    "各乡镇、街道要结合实际制定具体实施方案，细化工作措施。",
    "要加强预算执行管理，加快资金拨付进度，提高资金使用效益。",
    "对工作成绩突出的单位和个人，将按照有关规定给予表扬。",
    "活动时间自即日起至年底，分动员部署、组织实施、总结提高三个阶段。",
]
ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八"]


def cjk_font():
    """The path of an installed font with Chinese (Noto CJK preferred)."""
    out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=True).stdout
    paths = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    preferred = [p for p in paths if "NotoSansCJK-Regular" in p] + [p for p in paths if "NotoSerifCJK-Regular" in p]
    chosen = (preferred or paths or [None])[0]
    if chosen is None:
        raise SystemExit("no CJK font installed (apt-get install fonts-noto-cjk or fonts-wqy-zenhei)")
    return chosen


def text_of(rng):
    """A notice's title, salutation, paragraphs and signature."""
    issuer = rng.choice(ISSUERS)
    kind = rng.choice(KINDS)
    year = rng.randint(2019, 2025)
    title = f"{issuer}关于{rng.choice(SUBJECTS)}的{kind}"
    lines = [("title", title), ("body", "各有关单位："), ]
    paragraphs = rng.randint(4, 14)
    for i in range(paragraphs):
        sentences = rng.sample(SENTENCES, rng.randint(2, 4))
        head = f"{ORDINALS[i % len(ORDINALS)]}、" if i % 3 == 0 else ""
        lines.append(("body", "　　" + head + "".join(sentences)))
    lines.append(("right", issuer))
    lines.append(("right", f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"))
    return lines


def wrap(draw, text, font, width):
    out, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width:
            out.append(line)
            line = ch
        else:
            line += ch
    if line:
        out.append(line)
    return out


def pages_of(lines, font_path):
    title_font = ImageFont.truetype(font_path, 72)
    body_font = ImageFont.truetype(font_path, 46)
    margin = 260
    pages = []
    page = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(page)
    y = 300
    for kind, text in lines:
        font = title_font if kind == "title" else body_font
        step = 110 if kind == "title" else 80
        for part in wrap(draw, text, font, A4[0] - 2 * margin):
            if y + step > A4[1] - 250:
                pages.append(page)
                page = Image.new("L", A4, 255)
                draw = ImageDraw.Draw(page)
                y = 250
            width = draw.textlength(part, font=font)
            x = (A4[0] - width) / 2 if kind == "title" else (A4[0] - margin - width if kind == "right" else margin)
            draw.text((x, y), part, font=font, fill=20)
            y += step
        if kind == "title":
            y += 60
    pages.append(page)
    return pages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=27)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    font_path = cjk_font()
    os.makedirs(args.outdir, exist_ok=True)
    for n in range(1, args.count + 1):
        pages = pages_of(text_of(rng), font_path)
        if rng.random() < 0.5:
            images, options = [p.point(lambda v: 255 if v > 160 else 0, mode="1") for p in pages], {}
        else:
            images, options = pages, {"quality": rng.randint(50, 85)}
        target = os.path.join(args.outdir, f"nonreport-{n:02}.pdf")
        images[0].save(target, "PDF", resolution=300, save_all=True, append_images=images[1:], **options)
        print(f"{target}: {len(images)} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
