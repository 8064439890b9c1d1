"""The names the model learns from, and the alphabet it writes them in."""
from pathlib import Path

import numpy as np

CORPUS = Path(__file__).with_name("dinosaurs.txt")
END = "\n"  # ends every name; it also stands before the first letter, as the model's start symbol
MAX_LENGTH = 50  # the longest name sample writes, END aside


def load_names(shuffle_seed=None, path=CORPUS):
    """The names of the corpus, one string each, lowercase.

    Parameters
    ----------
    shuffle_seed : int or None
        None keeps the file's (alphabetical) order; an int shuffles the names with
        ``np.random.default_rng(shuffle_seed)``, so that training does not see them sorted.
    path : str or Path
        A text file with one name per line.

    Returns
    -------
    list of str
    """
    names = [line.strip().lower() for line in Path(path).read_text().splitlines() if line.strip()]
    if shuffle_seed is not None:
        order = np.random.default_rng(shuffle_seed).permutation(len(names))
        names = [names[i] for i in order]
    return names


def vocabulary(names):
    """The alphabet of ``names``, END included, and the index of each character.

    Parameters
    ----------
    names : list of str

    Returns
    -------
    char_to_ix : dict of str to int
        Index of each character; the characters are sorted, so END ("\\n") is 0.
    ix_to_char : dict of int to str
        The character at each index.
    """
    characters = sorted(set("".join(names)) | {END})
    char_to_ix = {ch: i for i, ch in enumerate(characters)}
    return char_to_ix, {i: ch for ch, i in char_to_ix.items()}


def decode(indices, ix_to_char):
    """The text of a list of character indices, without the END that closes it.

    Parameters
    ----------
    indices : list of int
    ix_to_char : dict of int to str

    Returns
    -------
    str, capitalised like a genus name
    """
    return "".join(ix_to_char[int(i)] for i in indices).rstrip(END).capitalize()
