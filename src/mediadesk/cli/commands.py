"""The commands of ``mediadesk`` and their one-line summaries, without importing any of them.

Each name is a module ``mediadesk.cli.cmd_<name>`` with ``register(subparsers)``; the order is the
order of ``mediadesk --help``. ``mediadesk --help`` lists them from this table alone, and a command
imports only its own module (and the libraries it needs), so the command line starts quickly.
"""

COMMANDS: dict[str, str] = {
    "import": "import photos, videos, audio and documents from files and folders",
    "search": "find assets by free text and filters",
    "show": "show every field of one asset",
    "galleries": "list galleries with their asset counts",
    "gallery": "add assets to a gallery or remove them (undoable)",
    "link": "link a document to the photos and videos it describes (undoable)",
    "chapters": "list, add, rename and delete a video's chapters (undoable)",
    "demo": "build the demo library (NATO press photos and videos, drawn on this machine)",
    "export": "export a rights-checked bundle (folder or zip) for a declared purpose",
    "publish": "publish a gallery as a static web page (rights-checked for editorial-online)",
    "rights": "list, create and assign rights profiles",
    "ledger": "list the exports made (who, when, purpose, recipient); --verify checks the chain",
    "verify": "check an export bundle: checksums and the rights note in every file",
    "template": "save and list caption templates",
    "caption": "apply caption templates, find and replace in captions",
    "tag": "add or remove keywords, people and organisations",
    "rate": "give assets 0-5 stars",
    "pick": "mark assets picked or rejected",
    "label": "give assets a colour label",
    "codes": "code replacements (=rutte= -> full name and title)",
    "csv": "export fields to CSV and import the edited file back",
    "undo": "undo the last edit (a batch is one step; works after a restart)",
    "redo": "redo the last undone edit",
    "history": "an asset's field changes, or the recent edit operations",
    "writeback": "write catalog metadata into the original files",
    "catalog": "what the catalog is and holds; upgrade, copy, check or repair it",
    "roots": "storage roots of a team catalog: list, add, map a shared folder on this desk",
    "users": "people and roles of a team catalog (admins): add, list, grant, revoke, disable",
}

NO_CATALOG = frozenset({"verify"})   # commands that work without a catalog
