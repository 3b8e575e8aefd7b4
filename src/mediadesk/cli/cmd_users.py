"""``mediadesk users add|list|grant|revoke|disable|enable``: the people of a team catalog.

Each person has a database login of their own (scram-sha-256) in one or more roles: viewer
(browse, search, read), press-officer (import, caption, galleries, tags, templates, codes),
archivist (batch edits, CSV import, write-back), editor (export, publish, the ledger),
rights-manager (rights profiles, their assignment, embargoes, expiry), admin (people, roles,
storage roots). The server enforces them: someone with psql and their own login is stopped
where mediadesk stops them. Admins only. ``disable`` ends the person's logins and closes their
open connections; their history and ledger entries stay. A refusal exits with status 5.
"""

from __future__ import annotations

import argparse
import sys

from mediadesk.cli.common import EXIT_OK, add_json_flag, catalog_from_args, print_json, say
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.permissions import ROLES
from mediadesk.services import users


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="people and roles of a team catalog (admins): add, list, grant, revoke, disable",
                       description=__doc__.split("\n\n")[1])
    actions = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="a new person: a login of their own in the given roles")
    a.add_argument("name", metavar="NAME", help="their login: lower-case letters, digits, '_', '.', '-'")
    a.add_argument("--role", action="append", choices=ROLES, required=True, dest="roles",
                   help="a role (give --role again for more)")
    a.add_argument("--password-stdin", action="store_true", required=True,
                   help="read the password from standard input (never from the command line)")
    add_json_flag(a)
    a.set_defaults(func=run_add)
    ls = actions.add_parser("list", help="every person, their roles, enabled or not, open connections")
    add_json_flag(ls)
    ls.set_defaults(func=run_list)
    for name, text in (("grant", "give a person a role"), ("revoke", "take a role from a person")):
        g = actions.add_parser(name, help=text)
        g.add_argument("name", metavar="NAME", help="the person's login")
        g.add_argument("role", metavar="ROLE", choices=ROLES, help=f"one of {', '.join(ROLES)}")
        add_json_flag(g)
        g.set_defaults(func=run_grant if name == "grant" else run_revoke)
    for name, text in (("disable", "end a person's logins and close their connections (history stays)"),
                       ("enable", "let a disabled person log in again")):
        d = actions.add_parser(name, help=text)
        d.add_argument("name", metavar="NAME", help="the person's login")
        add_json_flag(d)
        d.set_defaults(func=run_disable if name == "disable" else run_enable)


def _show(person: users.Person) -> str:
    state = "enabled" if person.enabled else "DISABLED"
    return f"{person.name:<20} {', '.join(person.roles):<40} {state}"


def _read_password() -> str:
    text = sys.stdin.readline() if sys.stdin is not None else ""
    password = text.rstrip("\r\n")
    if not password:
        raise InvalidInput("--password-stdin: no password on standard input (one line)")
    return password


def run_add(args: argparse.Namespace) -> int:
    password = _read_password()
    with catalog_from_args(args) as catalog:
        person = users.add_person(catalog, args.name, args.roles, password)
    if args.json:
        print_json(person.to_json())
    else:
        say(f"added {person.name}: {', '.join(person.roles)} (connect as "
            f"postgresql://{person.name}@HOST/DATABASE; the password goes into their ~/.pgpass)")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        people = users.list_people(catalog)
    if args.json:
        print_json({"people": [p.to_json() for p in people]})
        return EXIT_OK
    for person in people:
        say(_show(person))
    if not people:
        say("nobody yet: mediadesk users add NAME --role ROLE --password-stdin")
    return EXIT_OK


def _changed(args: argparse.Namespace, call) -> int:
    with catalog_from_args(args) as catalog:
        person = call(catalog)
    if args.json:
        print_json(person.to_json())
    else:
        say(_show(person))
    return EXIT_OK


def run_grant(args: argparse.Namespace) -> int:
    return _changed(args, lambda c: users.grant_role(c, args.name, args.role))


def run_revoke(args: argparse.Namespace) -> int:
    return _changed(args, lambda c: users.revoke_role(c, args.name, args.role))


def run_enable(args: argparse.Namespace) -> int:
    return _changed(args, lambda c: users.enable_person(c, args.name))


def run_disable(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        person, closed = users.disable_person(catalog, args.name)
    if args.json:
        print_json(dict(person.to_json(), connections_closed=closed))
    else:
        say(f"disabled {person.name}: no more logins; {closed} open connection(s) closed; "
            "their history and ledger entries stay")
    return EXIT_OK
