"""Documents: one WeasyPrint service for every printable thing of the portal (statements
now; the voting roll and badges later), its restricted URL fetcher, and the store of
rendered PDFs. It has no pages of its own: each area serves its documents."""
