"""The command line (``scratchnet train``: ``main``, its ``options``) and the exports
it shares with the window: every view as PNG, SVG and CSV (``export``), and the
plotting backend ``scratchnet.article`` draws with (``article_plots``)."""
