"""Running the course on a JupyterHub server: settings, server set-up and the hub's config."""
