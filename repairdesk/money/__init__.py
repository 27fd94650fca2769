"""Parts and stock, quotes the customer approves, payments, repair guarantees, loaners."""
