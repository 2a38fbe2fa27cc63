"""The policy statement archive: articles, quotations, speakers, organisations and documents."""
