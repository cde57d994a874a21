"""kubectl/printers/describe"""
