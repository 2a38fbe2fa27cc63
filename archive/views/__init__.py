"""Views: thin functions and classes that ask QuerySets and render templates. One module per area."""
