# supervisor/
