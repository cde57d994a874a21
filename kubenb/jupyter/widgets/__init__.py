"""jupyter/widgets"""
