"""What the tests share: fixtures' helpers, the fixture corpus, expected grades, servers."""
