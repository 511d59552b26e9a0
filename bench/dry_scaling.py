"""How the ``dry`` rule's cost grows with the number of similar files (``check --all``).

Builds git repositories of N similar TypeScript files (N = 50, 100, 200, 300, 600 by default): each
file is a CRUD service for one entity, generated from one template with the entity's name, fields
and a few branches varied, about 8.7 KB a file (300 files: 2.6 MB), the shape of a generated
NestJS/Angular backend where every file resembles every other. For each N, ``tinyarms-lint check
--all --no-llm`` runs with every bundled rule and with every rule but ``dry`` (cold cache each time,
the first CI run), as whole processes; wall and CPU seconds (user + system of the child) are shown,
and the extra cost of ``dry`` per file, which stays flat when the rule grows linearly.

Usage: ``.venv/bin/python bench/dry_scaling.py [--sizes 50,100,200,300,600] [--source DIR]``; for the
baseline, ``git archive COMMIT tinyarms_lint | tar -x -C DIR`` and pass ``--source DIR``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import WORK, machine

ROOT = WORK / "dry_scaling"
WORDS = ["order", "invoice", "customer", "product", "shipment", "payment", "refund", "coupon", "review", "category", "supplier", "warehouse", "employee", "contract", "ticket", "booking", "session", "report", "budget", "asset", "device", "license", "project", "milestone", "task", "comment", "attachment", "message", "channel", "account", "profile", "address", "region", "store", "cart", "wishlist", "campaign"]
FIELDS = ("name", "title", "status", "amount", "quantity", "createdAt", "updatedAt", "ownerId", "notes", "code")


def _pascal(word: str) -> str:
    return word[:1].upper() + word[1:]


def service(index: int, rng: random.Random) -> str:
    """One entity's service: the same template, other names, fields and a few varied branches."""
    entity = f"{WORDS[index % len(WORDS)]}{index // len(WORDS) or ''}"
    name = _pascal(entity)
    fields = rng.sample(FIELDS, 6)
    limit = rng.choice((10, 20, 25, 50, 100))
    lines = [
        'import { Injectable, NotFoundException, BadRequestException } from "@nestjs/common";',
        'import { InjectRepository } from "@nestjs/typeorm";',
        'import { Repository, FindOptionsWhere, ILike } from "typeorm";',
        f'import {{ {name} }} from "./{entity}.entity";',
        f'import {{ Create{name}Dto, Update{name}Dto, {name}Query }} from "./{entity}.dto";',
        "",
        "@Injectable()",
        f"export class {name}Service {{",
        f"  constructor(@InjectRepository({name}) private readonly repository: Repository<{name}>) {{}}",
        "",
        f"  async findAll(query: {name}Query): Promise<{{ items: {name}[]; total: number }}> {{",
        f"    const take = Math.min(query.limit ?? {limit}, 200);",
        "    const skip = ((query.page ?? 1) - 1) * take;",
        f"    const where: FindOptionsWhere<{name}> = {{}};",
    ]
    for field in fields[:3]:
        lines += [
            f"    if (query.{field} !== undefined && query.{field} !== null) {{",
            f"      where.{field} = typeof query.{field} === \"string\" ? ILike(`%${{query.{field}}}%`) : query.{field};",
            "    }",
        ]
    lines += [
        "    const [items, total] = await this.repository.findAndCount({ where, take, skip, order: { id: \"DESC\" } });",
        "    return { items, total };",
        "  }",
        "",
        f"  async findOne(id: number): Promise<{name}> {{",
        "    const item = await this.repository.findOne({ where: { id } });",
        "    if (!item) {",
        f"      throw new NotFoundException(`{name} ${{id}} was not found`);",
        "    }",
        "    return item;",
        "  }",
        "",
        f"  async create(input: Create{name}Dto): Promise<{name}> {{",
        "    this.validate(input);",
        "    const item = this.repository.create(input);",
        "    return this.repository.save(item);",
        "  }",
        "",
        f"  async update(id: number, input: Update{name}Dto): Promise<{name}> {{",
        "    const item = await this.findOne(id);",
        "    this.validate({ ...item, ...input });",
        "    Object.assign(item, input);",
        "    return this.repository.save(item);",
        "  }",
        "",
        "  async remove(id: number): Promise<void> {",
        "    const item = await this.findOne(id);",
        "    await this.repository.remove(item);",
        "  }",
        "",
        f"  private validate(input: Partial<Create{name}Dto>): void {{",
    ]
    for field in fields:
        check = rng.choice(
            (
                f"    if (input.{field} === undefined) {{\n      throw new BadRequestException(\"{field} is required\");\n    }}",
                (
                    f"    if (typeof input.{field} === \"string\" && input.{field}.length > 255) {{\n"
                    f"      throw new BadRequestException(\"{field} is too long\");\n    }}"
                ),
                (
                    f"    if (typeof input.{field} === \"number\" && input.{field} < 0) {{\n"
                    f"      throw new BadRequestException(\"{field} must not be negative\");\n    }}"
                ),
            )
        )
        lines.append(check)
    lines += ["  }", ""]
    # the rest of the file: per-entity reporting helpers, each slightly different
    for number in range(6):
        field = fields[number % len(fields)]
        lines += [
            f"  async countBy{_pascal(field)}{number}(value: unknown): Promise<number> {{",
            f"    const where = {{ {field}: value }} as FindOptionsWhere<{name}>;",
            "    const total = await this.repository.count({ where });",
            f"    if (total > {rng.randint(100, 10_000)}) {{",
            f"      console.warn(\"{entity}: many rows with {field}\", value);",
            "    }",
            "    return total;",
            "  }",
            "",
            f"  async latestBy{_pascal(field)}{number}(value: unknown, take = {rng.randint(3, 30)}): Promise<{name}[]> {{",
            f"    const where = {{ {field}: value }} as FindOptionsWhere<{name}>;",
            "    return this.repository.find({ where, take, order: { updatedAt: \"DESC\" } });",
            "  }",
            "",
        ]
    lines += ["}", ""]
    return "\n".join(lines)


def build(count: int) -> tuple[Path, int]:
    repo = ROOT / f"repo-{count}"
    if repo.exists():
        shutil.rmtree(repo)
    (repo / "src").mkdir(parents=True)
    rng = random.Random(count)
    size = 0
    for index in range(count):
        text = service(index, rng)
        size += len(text.encode())
        (repo / "src" / f"{index:04d}.service.ts").write_text(text, encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x"}
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "services")):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    return repo, size


SOURCE: list[str] = []  # --source: another checkout's package directory to run instead (a baseline)


def run(repo: Path, *args: str) -> tuple[float, float, int]:
    cache = ROOT / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT") and k != "PYTHONDONTWRITEBYTECODE"}
    env["TINYARMS_CACHE_DIR"] = str(cache)
    if SOURCE:
        env["PYTHONPATH"] = SOURCE[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tinyarms_lint", "check", "--all", "--no-llm", "--format", "json", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"tinyarms-lint failed ({done.returncode}): {done.stderr[-2000:]}")
    dry = done.stdout.count('"rule": "dry"')
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), dry


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,100,200,300,600")
    parser.add_argument("--source", help="directory holding another tinyarms_lint package (git archive of a commit)")
    args = parser.parse_args()
    if args.source:
        SOURCE.append(args.source)
    out = [
        f"`check --all --no-llm`, cold cache, N similar generated TypeScript services; {machine()}",
        "",
        "| files | MB | all rules: wall / CPU s | all but dry: wall / CPU s | dry's extra CPU s | extra CPU ms per file | dry findings |",
        "|---|---|---|---|---|---|---|",
    ]
    for count in (int(n) for n in args.sizes.split(",")):
        repo, size = build(count)
        without = run(repo, "--ignore", "dry")
        with_dry = run(repo)
        extra = with_dry[1] - without[1]
        out.append(
            f"| {count} | {size / 1e6:.2f} | {with_dry[0]:.1f} / {with_dry[1]:.1f} | {without[0]:.1f} / {without[1]:.1f} "
            f"| {extra:.1f} | {1000 * extra / count:.0f} | {with_dry[2]} |"
        )
        print(out[-1], file=sys.stderr)
    return "\n".join(out)


if __name__ == "__main__":
    print(main())
