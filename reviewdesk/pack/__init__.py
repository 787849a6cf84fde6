"""The review pack: reportlab PDF in Chinese or English."""
