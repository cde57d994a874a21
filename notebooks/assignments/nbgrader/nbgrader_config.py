# nbgrader course for the kubenb worked assignment (run nbgrader commands from this folder).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "kubenb-basics"
c.CourseDirectory.db_assignments = [dict(name="deploy-basics"), dict(name="final-project")]
c.CourseDirectory.db_students = [dict(id="solution"), dict(id="latest-one-replica"),
                                 dict(id="selector-typo"), dict(id="no-requests"),
                                 # final-project's prepared submissions (notebooks/assignments/build_final.py)
                                 dict(id="latest-wrong-port"), dict(id="exact-path"),
                                 dict(id="no-requests-wrong-host")]
c.Exchange.root = "/tmp/kubenb-nbgrader-exchange"
c.ExecutePreprocessor.timeout = 300
