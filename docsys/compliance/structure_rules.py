Finding = None
def check_structure(a, b): pass
