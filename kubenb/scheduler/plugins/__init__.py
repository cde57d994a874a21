"""scheduler/plugins"""
