from flask import Blueprint

bp = Blueprint("programmes", __name__, template_folder="templates")
