"""Files in and out: CSV and XLSX import, report exports."""
