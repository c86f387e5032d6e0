"""The Textual workbench: screens, widgets, styles, key bindings, command palette."""
