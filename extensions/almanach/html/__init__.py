"""HTML only: theme and navigation, accessibility, search, feeds, sitemap, assets."""
