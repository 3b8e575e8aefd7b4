"""``mediadesk publish (--gallery NAME | --query TEXT | ID...) --out DIR [--title TEXT] ...``

Exit status: 0 when every asset went online, 3 when some were left out (the rights policy
blocked them, or their files could not be made) and the rest went, 2 on bad arguments, 1 when
the site could not be written.
"""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PARTIAL,
    add_json_flag,
    add_selection_args,
    catalog_from_args,
    print_json,
    resolve_selection,
    say,
)
from mediadesk.cli.progress import TerminalProgress, cancel_on_ctrl_c
from mediadesk.domain.errors import InvalidInput
from mediadesk.jobs import Job
from mediadesk.services.activity import publish_site
from mediadesk.services.publish import (
    DEFAULT_SITE_TITLE,
    PublishOptions,
    PublishPlan,
    PublishResult,
    plan_publish,
    preview_changes,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish", help=COMMANDS["publish"],
        description="Turn a gallery (or a search, or assets) into a static web site: an index of the "
                    "galleries published in the folder and a page per gallery with a photo grid, "
                    "videos, captions, credits, each asset's usage rights and download links where the "
                    "rights policy allows them. Assets the policy blocks for editorial-online are left "
                    "off the page with the reason in the report. Publishing again into the same folder "
                    "updates it; files mediadesk did not write there are left alone.",
    )
    add_selection_args(p)
    p.add_argument("--out", metavar="DIR", help="the site's folder (created, or updated when it holds a site)")
    p.add_argument("--title", metavar="TEXT", help="the page's title (default: the gallery's title; "
                                                   "needed with --query or ids)")
    p.add_argument("--base-url", metavar="URL",
                   help="where the site will be served (https://...): absolute URLs in JSON-LD and Open Graph")
    p.add_argument("--site-title", metavar="TEXT", default=DEFAULT_SITE_TITLE,
                   help=f"the name in every page's header (default: {DEFAULT_SITE_TITLE})")
    p.add_argument("--licence-page", metavar="URL",
                   help="a page where other licences can be asked for (schema.org acquireLicensePage)")
    p.add_argument("--zip", action="store_true", help="also pack the site as DIR.zip (for uploading to a CMS)")
    p.add_argument("--with-documents", action="store_true",
                   help="also publish the documents linked to the assets (press releases, transcripts) as "
                        "pages of their text with their usage rights, each decided by its own rights")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would go online, what is left out and what would change; write nothing")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.dry_run and not args.out:
        raise InvalidInput("say where to publish: --out DIR (or use --dry-run)")
    options = PublishOptions(title=args.title, base_url=args.base_url, zip=args.zip,
                             licence_page=args.licence_page, site_title=args.site_title,
                             with_documents=args.with_documents)
    with catalog_from_args(args) as catalog:
        gallery = catalog.galleries.require(args.gallery) if args.gallery else None
        ids = resolve_selection(catalog, args)
        if not ids:
            raise InvalidInput("the selection is empty: nothing to publish")
        plan = plan_publish(catalog, ids, options, gallery=gallery)
        if args.dry_run:
            return _print_plan(plan, args.out, args.json)
        job = Job("Publishing", on_progress=TerminalProgress())
        with cancel_on_ctrl_c(job, "the current file"):
            result = publish_site(catalog, plan, args.out, job=job)
    if args.json:
        print_json({"purpose": "editorial-online", "dry_run": False, **result.to_json()})
    else:
        _print_result(result)
    if result.cancelled:
        return EXIT_ERROR
    return EXIT_PARTIAL if result.left_out else EXIT_OK


def _print_plan(plan: PublishPlan, out: str | None, as_json: bool) -> int:
    changes = preview_changes(plan, out) if out else None
    if as_json:
        print_json({"dry_run": True, **plan.to_json(), "changes": changes})
    else:
        for item in plan.online:
            refused = item.download.reason if item.download else "not allowed"
            extra = "with download" if item.downloadable else f"no download: {refused}"
            say(f"  online    {item.asset.id:>6}  {item.asset.display_title} ({extra})")
        for item in plan.left_out:
            say(f"  LEFT OUT  {item.asset.id:>6}  {item.reason}")
        for warning in plan.warnings:
            say(f"  warning   {warning}")
        summary = f"dry run: {len(plan.online)} would go online, {len(plan.left_out)} left out"
        if changes:
            summary += (f"; on the site: {len(changes['added'])} added, {len(changes['changed'])} changed, "
                        f"{len(changes['removed'])} removed")
        say(summary + "; nothing written")
    return EXIT_PARTIAL if plan.left_out else EXIT_OK


def _print_result(result: PublishResult) -> None:
    for item in result.published:
        say(f"  online    {item['id']:>6}  {item['page']}"
              + ("" if item["download"] else "  (no download)"))
    for item in result.left_out:
        say(f"  LEFT OUT  {item['id']:>6}  {item['reason']}")
    for warning in result.warnings:
        say(f"  warning   {warning}")
    if result.cancelled:
        say("cancelled: the site was not changed")
    elif result.site:
        say(f"published {len(result.published)} asset(s): {result.page or result.site}; "
              f"{len(result.added)} added, {len(result.changed)} changed, {len(result.removed)} removed "
              f"({result.files_written} files written, {result.files_removed} removed); "
              f"ledger entry {result.ledger_id}" + (f"; zip {result.zip}" if result.zip else ""))
    else:
        say(f"nothing published: {len(result.left_out)} left out; the site was not changed")
