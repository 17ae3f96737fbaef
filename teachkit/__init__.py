"""teachkit: numpy implementations behind the course, one module per idea.

corpus, data, hierarchy at the bottom; ngram, nplm, huffman, sampling, word2vec, poincare above
them; evaluate and gradcheck on plain arrays; plots and widgets on top.
"""
__version__ = "0.1.0"
