Relation = None
def find_relations(t): pass
