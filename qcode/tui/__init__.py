"""The Textual workbench: screens, widgets, styles, key bindings, command palette."""


def __getattr__(name):
    if name == "QcodeApp":  # imported on use: `import qcode.tui.widgets...` need not load the app
        from qcode.tui.app import QcodeApp

        return QcodeApp
    raise AttributeError(name)
